"""Reminders for facilitation stages past their due date: once per (case, stage, due date), to the officer.

Claimed like the follow-up reminders: insert under a unique constraint with ON CONFLICT DO NOTHING, read back this
run's claim token; two runs (or a retried task) never both send. The sending is one small function.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.access import roles
from core.calendar import days as calendar
from training.models.facilitation import OPEN_STATES, FacilitationCase, FacilitationReminder


def facilitation_reminder_send(*, case: FacilitationCase) -> int:
    """E-mail the case's officer (every officer when none is assigned), Indonesian first then English."""
    if case.officer is not None:
        recipients = [case.officer.email]
    else:
        officers = get_user_model().objects.filter(roles.holders(roles.OFFICER), is_active=True).distinct()
        recipients = list(officers.values_list("email", flat=True))
    if not recipients:
        return 0
    context = {
        "case": case,
        "url": settings.SITE_URL.rstrip("/") + reverse("training:facilitation-detail", args=[case.pk]),
    }
    subjects, parts = [], []
    for language in ("id", "en"):
        with translation.override(language):
            subjects.append(render_to_string("training/email/facilitation_due_subject.txt", context).strip())
            parts.append(render_to_string("training/email/facilitation_due.txt", context).strip())
    return send_mail(" / ".join(subjects), "\n\n---\n\n".join(parts) + "\n", None, recipients)


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
