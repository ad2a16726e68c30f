"""The one place where role names live. Roles are Django groups; a person may hold several."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

OWNER = "owner"
PPH = "pph"
REVIEWER = "reviewer"
OFFICER = "officer"
ADMIN = "admin"

ALL_ROLES: tuple[str, ...] = (OWNER, PPH, REVIEWER, OFFICER, ADMIN)
# Staff of the Department of Industry / task force: may read the registry and the dashboard.
STAFF_ROLES: tuple[str, ...] = (REVIEWER, OFFICER, ADMIN)

LABELS = {
    OWNER: _("MSI owner"),
    PPH: _("Halal process assistant"),
    REVIEWER: _("Reviewer"),
    OFFICER: _("Task-force officer"),
    ADMIN: _("Administrator"),
}


def roles_of(user: Any) -> frozenset[str]:
    """The role names a user holds (empty for anonymous). Cached on the user object: one query per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    """True when the user holds at least one of the roles."""
    return bool(roles_of(user).intersection(roles))


def is_staff_member(user: Any) -> bool:
    return has_role(user, *STAFF_ROLES)
