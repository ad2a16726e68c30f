"""What the applicants pages share."""

from __future__ import annotations

from core.access import roles

# Who may read a business page at all (each view then scopes the object to the person).
READERS = (*roles.STAFF_ROLES, roles.PPH, roles.OWNER)
