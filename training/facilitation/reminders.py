"""Reminders for facilitation stages past their due date: once per (case, stage, due date), to the officer.

Claimed like the follow-up reminders: insert under a unique constraint with ON CONFLICT DO NOTHING, read back this
run's claim token; two runs (or a retried task) never both send. The sending is one small function.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.urls import reverse

from applicants.selectors import staff_for_region
from core.access import roles
from core.calendar import days as calendar
from core.notifications.services import Message, notifications_send
from training.models.facilitation import OPEN_STATES, FacilitationCase, FacilitationReminder


def facilitation_reminder_send(*, case: FacilitationCase) -> int:
    """Tell the case's officer (when none is assigned, the officers whose jurisdiction covers the business) through
    the notification service. Returns the notices stored."""
    region_id = case.business.region_id
    if case.officer is not None and case.officer.is_active:
        recipients = [case.officer]
    else:
        recipients = list(staff_for_region(region_id, roles.OFFICER).exclude(pk=case.business.owner_id))
    context = {
        "case": {
            "pk": case.pk,
            "business": case.business.name,
            "stage": str(case.get_state_display()),
            "due_on": case.due_on,
        }
    }
    link = reverse("training:facilitation-detail", args=[case.pk])
    messages = [
        Message(
            recipient=user,
            kind="facilitation_due",
            context=context,
            link=link,
            topic=f"facilitation:{case.pk}",
            region_id=region_id,
        )
        for user in recipients
    ]
    return len(notifications_send(messages))


def facilitation_reminders_send(*, today: date | None = None) -> int:
    """Claim and send a reminder for every open stage past due on `today`; returns how many were sent."""
    today = today or calendar.today()
    overdue = FacilitationCase.objects.filter(state__in=OPEN_STATES, due_on__lt=today).values_list(
        "pk", "state", "due_on"
    )
    claim = uuid.uuid4()
    rows = [FacilitationReminder(case_id=pk, state=state, due_on=due_on, claim=claim) for pk, state, due_on in overdue]
    if not rows:
        return 0
    with transaction.atomic():
        FacilitationReminder.objects.bulk_create(rows, ignore_conflicts=True)
        claimed = list(FacilitationReminder.objects.filter(claim=claim).values_list("case_id", flat=True))
        cases = FacilitationCase.objects.filter(pk__in=claimed).select_related("business", "product", "officer")
        return sum(facilitation_reminder_send(case=case) for case in cases)
