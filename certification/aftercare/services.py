"""The yearly composition confirmation (issue 17): on each anniversary of a valid certificate the owner confirms, in
one tap, that composition and process did not change, or says that they changed (and files a product development).

Steps per anniversary: "asked" on the day, "reminder" after COMPOSITION_CHECK_REMINDER_DAYS, "last" after
COMPOSITION_CHECK_OVERDUE_DAYS (the owner is then overdue and listed for a monitoring visit). Each step is claimed by
`UPDATE ... SET <column> = now() WHERE <column> IS NULL AND answered_at IS NULL` before its message is queued: the
run may go twice, or in two workers, and every message still goes once. A run that missed days sends only the
latest step (the earlier ones are marked spent with it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import Certificate, CertificateReminder, CompositionCheck
from core.access import roles
from core.calendar import days as cal
from core.errors import DomainError
from core.tasks import enqueue_on_commit

STEP_COLUMNS = {"asked": "asked_at", "reminder": "reminded_at", "last": "last_reminded_at"}
STEPS = tuple(STEP_COLUMNS)


@dataclass(frozen=True)
class RunResult:
    created: int
    sent: int
    expiry_reminders: int = 0


def anniversary(issued: date, year: int) -> date:
    """The `year`-th anniversary of an issue date (29 February falls on 28 February in other years)."""
    target = issued.year + year
    day = min(issued.day, calendar.monthrange(target, issued.month)[1])
    return date(target, issued.month, day)


def step_on(today: date, check: CompositionCheck) -> str:
    days = (today - check.anniversary).days
    if days >= int(settings.COMPOSITION_CHECK_OVERDUE_DAYS):
        return "last"
    if days >= int(settings.COMPOSITION_CHECK_REMINDER_DAYS):
        return "reminder"
    return "asked"


def _anniversaries_in(start: date, end: date) -> Q:
    """Certificates whose issue day-of-year falls in [start, end] (every month-day pair of the window)."""
    q = Q()
    day = start
    while day <= end:
        q |= Q(issued_at__month=day.month, issued_at__day=day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            q |= Q(issued_at__month=2, issued_at__day=29)
        day += timedelta(days=1)
    return q


def checks_create(*, today: date) -> int:
    """Open this year's check for every valid certificate whose anniversary was in the last overdue window."""
    window = int(settings.COMPOSITION_CHECK_OVERDUE_DAYS)
    start = today - timedelta(days=window)
    candidates = Certificate.objects.filter(
        _anniversaries_in(start, today), status=Certificate.Status.VALID, issued_at__date__lte=today - timedelta(365)
    ).values_list("pk", "issued_at")
    created = 0
    for pk, issued_at in candidates.iterator(chunk_size=2000):
        issued = timezone.localdate(issued_at)
        year = today.year - issued.year
        if anniversary(issued, year) > today:
            year -= 1
        if year < 1 or anniversary(issued, year) < start:
            continue
        try:
            with transaction.atomic():
                CompositionCheck.objects.create(certificate_id=pk, year=year, anniversary=anniversary(issued, year))
        except IntegrityError:
            continue  # opened before
        created += 1
    return created


def messages_send(*, today: date) -> int:
    """Claim and queue the step due today of every open check; returns how many messages were queued."""
    window = int(settings.COMPOSITION_CHECK_OVERDUE_DAYS)
    open_checks = CompositionCheck.objects.filter(
        answered_at__isnull=True,
        last_reminded_at__isnull=True,
        anniversary__lte=today,
        anniversary__gte=today - timedelta(days=window * 2),
        certificate__status=Certificate.Status.VALID,
    )
    sent = 0
    now = timezone.now()
    for check in open_checks.iterator(chunk_size=2000):
        step = step_on(today, check)
        column = STEP_COLUMNS[step]
        with transaction.atomic():
            claimed = CompositionCheck.objects.filter(
                **{"pk": check.pk, f"{column}__isnull": True, "answered_at__isnull": True}
            ).update(**{column: now})
            if not claimed:
                continue
            earlier = {STEP_COLUMNS[s]: now for s in STEPS[: STEPS.index(step)]}
            if earlier:  # a run that missed days: the earlier steps are spent, not sent late
                CompositionCheck.objects.filter(pk=check.pk).filter(**{f"{c}__isnull": True for c in earlier}).update(
                    **earlier
                )
            enqueue_on_commit("certification.notify_owner_of_composition_check", check.pk, step)
        sent += 1
    return sent


def composition_checks_run(*, today: date | None = None) -> RunResult:
    """The daily run: open and send the yearly confirmations, and the expiry reminders of dated certificates."""
    today = today or cal.today()
    created = checks_create(today=today)
    return RunResult(
        created=created, sent=messages_send(today=today), expiry_reminders=expiry_reminders_send(today=today)
    )


def composition_confirm(*, actor: Any, check_id: int, answer: str) -> CompositionCheck:
    """The owner answers this year's question (once)."""
    if answer not in CompositionCheck.Answer.values:
        raise DomainError(_("Choose whether anything changed."), errors={"answer": [_("Invalid.")]})
    with transaction.atomic():
        check = (
            CompositionCheck.objects.select_for_update(of=("self",))
            .select_related("certificate__application__business")
            .filter(pk=check_id)
            .first()
        )
        if (
            check is None
            or check.certificate.application.business.owner_id != actor.pk
            or not roles.has_role(actor, roles.OWNER)
        ):
            raise DomainError(_("Confirmation not found."))
        if check.answered_at is not None:
            raise DomainError(_("This year's confirmation was already given."))
        if check.certificate.status != Certificate.Status.VALID:
            raise DomainError(_("The certificate is no longer valid; there is nothing to confirm."))
        check.answer, check.answered_at, check.answered_by = answer, timezone.now(), actor
        check.save(update_fields=["answer", "answered_at", "answered_by"])
    return check


# --- Expiry of certificates from before UU 6/2023 (they carry an expiry date) ---
EXPIRY_STEPS = (90, 30, 7)  # days before the expiry date, in the order they come


def expiry_reminders_send(*, today: date | None = None) -> int:
    """Claim and queue the expiry reminder due today of every valid dated certificate (each step once; a run that
    missed days sends only the latest step). Returns how many were queued."""
    today = today or cal.today()
    due = Certificate.objects.filter(
        status=Certificate.Status.VALID,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=EXPIRY_STEPS[0]),
    ).values_list("pk", "expires_on")
    sent = 0
    for pk, expires_on in due.iterator(chunk_size=2000):
        if expires_on is None:
            continue
        left = (expires_on - today).days
        step = min(s for s in EXPIRY_STEPS if left <= s)
        try:
            with transaction.atomic():
                reminder = CertificateReminder.objects.create(
                    certificate_id=pk, expires_on=expires_on, days_before=step
                )
                for earlier in EXPIRY_STEPS[: EXPIRY_STEPS.index(step)]:
                    CertificateReminder.objects.get_or_create(
                        certificate_id=pk, expires_on=expires_on, days_before=earlier
                    )
                enqueue_on_commit("certification.notify_owner_of_expiry", reminder.pk)
        except IntegrityError:
            continue  # this step was sent before
        sent += 1
    return sent
