"""Navigation per role. Each app's pages are listed here (the top floor knows every app; apps never do).

`roles=None` means everyone (public); an empty tuple means any signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from halalmsi import roles as r


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...] | None = ()


NAV: list[NavItem] = [
    NavItem(_("Home"), "home", ()),
    # applicants
    NavItem(_("My business"), "applicants:mine", (r.OWNER,)),
    NavItem(_("Registry"), "applicants:registry", r.STAFF_ROLES),
    # training
    NavItem(_("Trainings"), "training:program-list", (r.OFFICER, r.ADMIN, r.REVIEWER)),
    NavItem(_("Overdue follow-ups"), "training:overdue", (r.OFFICER, r.ADMIN)),
    NavItem(_("My trainings"), "training:my-trainings", (r.OWNER,)),
    # fees
    NavItem(_("Fee calculator"), "fees:calculator", None),
    # certification
    NavItem(_("My applications"), "certification:my-applications", (r.OWNER,)),
    NavItem(_("Case queue"), "certification:queue", (r.REVIEWER, r.ADMIN)),
    NavItem(_("My assisted cases"), "certification:pph-cases", (r.PPH,)),
    NavItem(_("Verify a certificate"), "certification:verify-lookup", None),
    NavItem(_("Certified products"), "certification:registry", None),
]

PUBLIC_NAV: list[NavItem] = [
    NavItem(_("About"), "landing", None),
    NavItem(_("Fee calculator"), "fees:calculator", None),
    NavItem(_("Verify a certificate"), "certification:verify-lookup", None),
    NavItem(_("Certified products"), "certification:registry", None),
]


def _visible(item: NavItem, user: Any) -> bool:
    if item.roles is None:
        return True
    if not user.is_authenticated:
        return False
    return not item.roles or r.has_role(user, *item.roles)


def items_for(user: Any) -> list[dict[str, str]]:
    items = NAV if user.is_authenticated else PUBLIC_NAV
    result = []
    for item in items:
        if not _visible(item, user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            # A page of an app that is not wired yet; tests/halalmsi/test_navigation.py keeps this list honest.
            continue
        result.append({"label": str(item.label), "url": url, "name": item.url_name})
    return result
