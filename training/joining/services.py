"""Owners joining open programs: join, leave, and the officer's approval; the waiting list moves up on its own.

Every write locks the program row first (SELECT ... FOR UPDATE on PostgreSQL), so two owners taking the last place
at the same moment, or an owner leaving while an officer approves, are serialised: the count of places is read
after the lock and cannot be overtaken.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Business
from applicants.selectors import covers
from core.access import roles
from core.errors import DomainError
from core.notifications.services import Message, notifications_send
from training.models import Enrollment, JoinRequest, Program

__all__ = ["join_request_approve", "join_request_decline", "training_join", "training_leave", "waiting_list_promote"]


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _free_places(program: Program) -> int:
    return program.capacity - Enrollment.objects.filter(program=program).count()


def waiting_list_promote(*, program: Program) -> list[Enrollment]:
    """Give free places to the waiting list in order; `program` must be locked by the caller's transaction."""
    free = _free_places(program)
    if free <= 0:
        return []
    first = list(
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("business__owner")
        .filter(program=program, status=JoinRequest.Status.WAITING)
        .order_by("queued_at", "id")[:free]
    )
    if not first:
        return []
    created = Enrollment.objects.bulk_create(
        [
            Enrollment(program=program, business_id=request.business_id, enrolled_by=request.requested_by)
            for request in first
        ]
    )
    JoinRequest.objects.filter(pk__in=[request.pk for request in first]).delete()
    _tell_of_a_place(program, [request.business for request in first])
    return created


def _tell_of_a_place(program: Program, businesses: list[Business]) -> None:
    """The owners who moved up from the waiting list hear of their place (in-app, e-mail, WhatsApp/SMS), once
    the transaction commits; they had only been told they were waiting."""
    link = reverse("training:my-trainings") + f"#program-{program.pk}"
    notifications_send(
        [
            Message(
                recipient=business.owner,
                kind="training_place",
                context={
                    "program": {"pk": program.pk, "title": program.title},
                    "business": business.name,
                },
                link=link,
                topic=f"program:{program.pk}",
                region_id=program.region_id,
            )
            for business in businesses
        ]
    )


def _check_owner(actor: Any, business: Business) -> None:
    if not roles.has_role(actor, roles.OWNER) or business.owner_id != actor.pk:
        raise DomainError(_("You can only join trainings for your own business."))


@transaction.atomic
def training_join(
    *, program: Program, business: Business, actor: Any, today: date | None = None
) -> Enrollment | JoinRequest:
    """An owner asks a place for their business: enrolled when a place is free and no approval is needed,
    otherwise a request awaiting approval or a place on the waiting list."""
    _check_owner(actor, business)
    today = today or timezone.localdate()
    locked = _lock(program)
    if not locked.open_for_registration:
        raise DomainError(_("This training is not open for registration."))
    if today > locked.joins_close_on:
        raise DomainError(
            _("Registration for this training closed on %(date)s.")
            % {"date": locked.joins_close_on.strftime("%d-%m-%Y")}
        )
    if Enrollment.objects.filter(program=locked, business=business).exists():
        raise DomainError(_("%(name)s is already enrolled in this training.") % {"name": business.name})
    existing = JoinRequest.objects.filter(program=locked, business=business).first()
    if existing is not None and existing.status == JoinRequest.Status.DECLINED:
        raise DomainError(
            _("The officer declined the request of %(name)s for this training.") % {"name": business.name}
        )
    if existing is not None:
        raise DomainError(_("%(name)s has already asked to join this training.") % {"name": business.name})
    if locked.requires_approval:
        return JoinRequest.objects.create(
            program=locked, business=business, status=JoinRequest.Status.PENDING, requested_by=actor
        )
    if _free_places(locked) > 0:
        return Enrollment.objects.create(program=locked, business=business, enrolled_by=actor)
    return JoinRequest.objects.create(
        program=locked,
        business=business,
        status=JoinRequest.Status.WAITING,
        requested_by=actor,
        queued_at=timezone.now(),
    )


@transaction.atomic
def training_leave(*, program: Program, business: Business, actor: Any, today: date | None = None) -> None:
    """An owner gives up their place (before the training starts) or withdraws their request; a freed place goes
    to the first on the waiting list."""
    _check_owner(actor, business)
    today = today or timezone.localdate()
    locked = _lock(program)
    enrollment = Enrollment.objects.filter(program=locked, business=business).first()
    if enrollment is None:
        deleted, _rows = JoinRequest.objects.filter(
            program=locked, business=business, status__in=[JoinRequest.Status.PENDING, JoinRequest.Status.WAITING]
        ).delete()
        if not deleted:
            raise DomainError(_("%(name)s is not registered for this training.") % {"name": business.name})
        return
    if today >= locked.start_date or enrollment.attended is not None:
        raise DomainError(_("The training has started; ask the officer to change your registration."))
    enrollment.delete()
    waiting_list_promote(program=locked)


def _check_officer(actor: Any, program: Program) -> None:
    """An officer (or administrator) of the programme's region decides its requests (the queue's jurisdiction rule)."""
    if not roles.has_role(actor, roles.OFFICER, roles.ADMIN):
        raise DomainError(_("Only task-force officers and administrators may manage trainings."))
    if not covers(actor, program.region_id):
        raise DomainError(_("This programme belongs to a region you do not work for."))


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, actor: Any) -> Enrollment | JoinRequest:
    """Approve a pending request: a place when one is free, otherwise the end of the waiting list."""
    _check_officer(actor, join_request.program)
    locked = _lock(join_request.program)
    request = JoinRequest.objects.select_for_update().filter(pk=join_request.pk).first()
    if request is None or request.status != JoinRequest.Status.PENDING:
        raise DomainError(_("This request is no longer awaiting approval."))
    if _free_places(locked) > 0:
        enrollment = Enrollment.objects.create(
            program=locked, business_id=request.business_id, enrolled_by=request.requested_by
        )
        request.delete()
        return enrollment
    request.status = JoinRequest.Status.WAITING
    request.queued_at = timezone.now()
    request.decided_by = actor
    request.save(update_fields=["status", "queued_at", "decided_by"])
    return request


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor: Any) -> JoinRequest:
    _check_officer(actor, join_request.program)
    _lock(join_request.program)
    request = JoinRequest.objects.select_for_update().filter(pk=join_request.pk).first()
    if request is None or request.status == JoinRequest.Status.DECLINED:
        raise DomainError(_("This request is no longer awaiting approval."))
    request.status = JoinRequest.Status.DECLINED
    request.queued_at = None
    request.decided_by = actor
    request.save(update_fields=["status", "queued_at", "decided_by"])
    return request
