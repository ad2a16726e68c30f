"""The one place where role names live. Roles are Django groups; a person may hold several."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

OWNER = "owner"
PPH = "pph"
REVIEWER = "reviewer"
OFFICER = "officer"
ADMIN = "admin"

# Not a role of its own: a group that lifts a reviewer/officer/assistant's regional jurisdiction (see
# applicants.selectors.jurisdiction_q). Administrators are national too.
NATIONAL = "national"

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


def group_ids(*names: str) -> dict[str, int]:
    """The group ids of role names (one small query).

    Filter users on `groups__in=<ids>`, not on `groups__name=`: with a join on the name PostgreSQL cannot tell a
    32-member group from the 200,000-member owner group and scans every membership row (~30 ms at 200,000
    owners); on an id it uses the index on group_id (<1 ms). Measured.
    """
    from django.contrib.auth.models import Group

    return dict(Group.objects.filter(name__in=names).values_list("name", "pk"))


def holders(*names: str, ids: dict[str, int] | None = None) -> Q:
    """A filter on users holding any of the roles (by group id; pass `ids` to reuse one group_ids() query)."""
    ids = group_ids(*names) if ids is None else ids
    return Q(groups__in=[ids[name] for name in names if name in ids])
