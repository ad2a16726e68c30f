"""Who may be assigned to a case: one check for every door.

The queue's bulk assignment (page), the API's `assign_pph` transition and the owner's choice of an assistant at
submission all call `assignee_check`; the lists that offer people call `assignable_q`. A person may be assigned
when they are active, hold the role the assignment needs, work for the case's region (the queue's jurisdiction
rule, applicants.selectors) and do not own the business (conflict of interest). An LPH is an agency, not a person:
`lph_check` asks whether it serves the business's province.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from applicants.models import Business
from applicants.selectors import is_national, jurisdiction_q, staff_covering_q
from certification.models import Application, Lph
from core.access import roles
from core.errors import DomainError
from core.models import User

ROLE_FIELDS = {roles.REVIEWER: "reviewer", roles.PPH: "pph"}


def assignable_q(*, role: str, business: Business) -> Q:
    """A filter on users who may be assigned to a case of `business` in `role` (no query of its own)."""
    return Q(roles.holders(role), staff_covering_q(business.region_id), is_active=True) & ~Q(pk=business.owner_id)


def assignee_check(*, person: Any, role: str, applications: QuerySet[Application]) -> None:
    """Refuse (DomainError naming the field) a person who may not be assigned in `role` to every one of
    `applications`: not active, without the role, outside a case's region, or the owner of a case's business."""
    field = ROLE_FIELDS[role]

    def refuse(message: str) -> DomainError:
        return DomainError(message, errors={field: [message]})

    if person is None:
        raise refuse(_("Choose a halal process assistant.") if role == roles.PPH else _("Choose a reviewer."))
    if applications.filter(business__owner_id=person.pk).exists():
        raise refuse(_("Staff cannot be assigned to a case of a business they own."))
    if not User.objects.filter(roles.holders(role), pk=person.pk, is_active=True).exists():
        if role == roles.PPH:
            raise refuse(_("%(name)s is not a halal process assistant.") % {"name": person})
        raise refuse(_("%(name)s is not a reviewer.") % {"name": person})
    if not is_national(person) and applications.exclude(jurisdiction_q(person, "business__")).exists():
        raise refuse(_("%(name)s does not work for the region of every chosen application.") % {"name": person})


def lph_check(*, lph: Lph | None, business: Business) -> Lph:
    """The LPH chosen for a case: from the directory and serving the business's province."""
    if lph is None:
        message = _("Choose a halal examination agency (LPH) from the directory.")
        raise DomainError(message, errors={"lph": [message]})
    if not lph.serves(business):
        message = _("%(lph)s does not serve this province.") % {"lph": lph}
        raise DomainError(message, errors={"lph": [message]})
    return lph
