"""Every write to BPOM facilitation cases. The state changes only in `facilitation_transition`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.models import Business, Product
from applicants.permits.services import permit_record_bpom_registration
from core.access import roles
from core.calendar import days as calendar
from core.errors import DomainError
from core.notifications.services import notification_send
from training.models import Program
from training.models.facilitation import (
    DEFAULT_STAGE_DAYS,
    OPEN_STATES,
    FacilitationCase,
    FacilitationEvent,
    FacilitationStageDays,
    FacilitationState,
)

S = FacilitationState
# action -> (from state, to state)
TRANSITIONS: dict[str, tuple[str, str]] = {
    "documents_complete": (S.REQUESTED, S.DOCUMENTS_COMPLETE),
    "submit": (S.DOCUMENTS_COMPLETE, S.SUBMITTED),
    "register": (S.SUBMITTED, S.REGISTERED),
    "not_register": (S.SUBMITTED, S.NOT_REGISTERED),
}
MD = re.compile(r"^MD\d{12}$")


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


def _is_officer(actor: Any) -> bool:
    return roles.has_role(actor, roles.OFFICER, roles.ADMIN)


def actions_for(case: FacilitationCase, actor: Any) -> list[str]:
    """The actions this actor may take on the case now (drives the page's buttons)."""
    if not _is_officer(actor):
        return []
    return [action for action, (source, _target) in TRANSITIONS.items() if source == case.state]


def stage_days(state: str) -> int:
    row = FacilitationStageDays.objects.filter(state=state).values_list("working_days", flat=True).first()
    return int(row) if row is not None else DEFAULT_STAGE_DAYS[FacilitationState(state)]


def _due(state: str, start: date) -> date | None:
    if state not in OPEN_STATES:
        return None
    return calendar.add_working_days(start, stage_days(state))


def product_named(*, business: Business, name: str) -> Product:
    """The business's product by its name (as an officer types it, any case and spacing), or a refusal listing the
    names."""
    wanted = " ".join(name.split()).casefold()
    products = list(Product.objects.filter(business=business).order_by("name"))
    for product in products:
        if " ".join(product.name.split()).casefold() == wanted:
            return product
    names = ", ".join(p.name for p in products) or _("none yet")
    raise _refuse(
        "product", _("This business has no product of that name. Its products: %(names)s.") % {"names": names}
    )


def facilitation_open(
    *,
    actor: Any,
    business: Business,
    product: Product | None = None,
    program: Program | None = None,
    note: str = "",
) -> FacilitationCase:
    """An owner asks for help with their own business, or an officer opens a case (often after a training)."""
    owner = business.owner_id == actor.pk
    if not owner and not _is_officer(actor):
        raise _refuse("business", _("Only the business's owner or a task-force officer may open a case."))
    if product is None:
        raise _refuse("product", _("Choose the product to register with BPOM: an MD number belongs to one product."))
    if product.business_id != business.pk:
        raise _refuse("product", _("The product belongs to another business."))
    if program is not None and not program.enrollments.filter(business=business).exists():
        raise _refuse("program", _("This business did not take part in that training."))
    if FacilitationCase.objects.filter(business=business, product=product, state__in=OPEN_STATES).exists():
        raise _refuse("product", _("An open facilitation case already exists for this product."))
    today = calendar.today()
    with transaction.atomic():
        case = FacilitationCase.objects.create(
            business=business,
            product=product,
            program=program,
            officer=actor if _is_officer(actor) else None,
            note=note.strip()[:2000],
            stage_started_on=today,
            due_on=_due(S.REQUESTED, today),
            opened_by=actor,
        )
        FacilitationEvent.objects.create(case=case, from_state="", to_state=S.REQUESTED, actor=actor, note=case.note)
    return case


def facilitation_transition(
    *, case_id: int, action: str, actor: Any, md_number: str = "", reason: str = "", note: str = ""
) -> FacilitationCase:
    if not _is_officer(actor):
        raise DomainError(_("Only task-force officers may move a facilitation case."))
    if action not in TRANSITIONS:
        raise _refuse("action", _("Unknown action."))
    source, target = TRANSITIONS[action]
    number = (md_number or "").strip().upper().replace(" ", "").replace("-", "")
    if action == "register" and not MD.match(number):
        raise _refuse("md_number", _("A BPOM MD number is MD followed by 12 digits, for example MD 224512345678."))
    if action == "not_register" and not reason.strip():
        raise _refuse("reason", _("Give the reason BPOM did not register the product."))
    with transaction.atomic():
        case = FacilitationCase.objects.select_for_update().get(pk=case_id)
        if case.state != source:
            raise DomainError(
                _("This case is “%(state)s”; that action is not possible now.") % {"state": case.get_state_display()}
            )
        today = calendar.today()
        case.state = target
        case.stage_started_on = today
        case.due_on = _due(target, today)
        fields = ["state", "stage_started_on", "due_on", "updated_at"]
        if case.officer_id is None:
            case.officer = actor
            fields.append("officer")
        if action == "register":
            if case.product is None:  # the product was deleted meanwhile: a number for no product is refused
                raise _refuse("md_number", _("This case has no product any more; an MD number belongs to a product."))
            case.md_number = number
            fields.append("md_number")
            permit_record_bpom_registration(product=case.product, number=number, recorded_by=actor)
        if action == "not_register":
            case.reason = reason.strip()
            fields.append("reason")
        if target not in OPEN_STATES:
            case.closed_on = today
            fields.append("closed_on")
        case.save(update_fields=fields)
        FacilitationEvent.objects.create(case=case, from_state=source, to_state=target, actor=actor, note=note.strip())
        facilitation_owner_notify(case=case)
    return case


def facilitation_owner_notify(*, case: FacilitationCase) -> None:
    """Tell the owner each step of their case (delivered after the commit, in the owner's language)."""
    business = case.business
    notification_send(
        recipient=business.owner,
        kind="facilitation_status",
        context={
            "case": {
                "pk": case.pk,
                "business": business.name,
                "product": case.product.name if case.product is not None else "",
                "state": case.state,
                "md_number": case.md_number,
                "reason": case.reason,
                "due_on": case.due_on,
            }
        },
        link=reverse("training:facilitation-detail", args=[case.pk]),
        topic=f"facilitation:{case.pk}",
        region_id=business.region_id,
    )
