"""The daily clock of the certification office (beat task `certification.clock_tick`, command `clock_tick`):

- a regular case past its 3 working days at the MUI fatwa session passes to the Komite Fatwa Produk Halal
  (an `escalate_fatwa` event by the platform, with the committee's own limit: KOMITE_FATWA_WORKING_DAYS);
- the owner's windows (the response to a return, the payment of the invoice) are office service standards with
  reminders: three working days before the window ends, on its last day, and once it has passed (the owner is told
  that the office may now cancel the case). Each step is claimed by a unique row before it is sent: running the
  tick twice, or in two workers at once, sends each reminder once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from certification.models import Application, CaseReminder
from certification.services import application_transition
from certification.workflow import table as wf
from core.calendar import days as cal
from core.errors import DomainError
from core.tasks import enqueue_on_commit

SOON_WORKING_DAYS = 3
STEPS = ("soon", "last_day", "passed")  # in the order they come


@dataclass(frozen=True)
class TickResult:
    escalated: int
    reminders: int


def _step(today: date, window_ends_on: date) -> str | None:
    if today > window_ends_on:
        return "passed"
    if today == window_ends_on:
        return "last_day"
    if cal.working_days_between(today, window_ends_on) <= SOON_WORKING_DAYS:
        return "soon"
    return None


def fatwa_escalations_run(*, today: date) -> int:
    """Pass every regular case past its MUI limit to the Komite Fatwa; returns how many passed."""
    due = Application.objects.filter(
        pathway=wf.REGULAR, state="fatwa", fatwa_escalated_at__isnull=True, due_on__lt=today
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(due):
        try:
            with cal.as_of(today):
                application_transition(application_id=pk, action="escalate_fatwa", actor=None)
        except DomainError:
            continue  # decided or escalated meanwhile
        done += 1
    return done


def owner_window_reminders_send(*, today: date) -> int:
    """Claim and send the reminders due today; returns how many were claimed for sending."""
    waiting = Application.objects.filter(state__in=wf.PAUSED_STATES, owner_due_on__isnull=False).values_list(
        "pk", "owner_due_on"
    )
    sent = 0
    for pk, ends_on in waiting.iterator(chunk_size=2000):
        if ends_on is None:
            continue
        step = _step(today, ends_on)
        if step is None:
            continue
        try:
            with transaction.atomic():
                reminder = CaseReminder.objects.create(application_id=pk, window_ends_on=ends_on, step=step)
                # The steps before this one are spent: a tick that missed days sends only the latest news.
                for earlier in STEPS[: STEPS.index(step)]:
                    CaseReminder.objects.get_or_create(application_id=pk, window_ends_on=ends_on, step=earlier)
                enqueue_on_commit("certification.notify_owner_of_window", reminder.pk)
        except IntegrityError:
            continue  # claimed before (this step of this window was sent)
        sent += 1
    return sent


def clock_tick(*, today: date | None = None) -> TickResult:
    today = today or cal.today()
    return TickResult(escalated=fatwa_escalations_run(today=today), reminders=owner_window_reminders_send(today=today))
