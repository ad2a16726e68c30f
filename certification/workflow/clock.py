"""The clock of a case (workflow.json version 2, "clock_rules").

Two clocks run on every case, both in working days of the office calendar:
- the stage clock: the current stage's due date, set when the case enters the stage; a return pauses it and keeps
  the working days left, resubmission resumes the same stage with those days (at least 1);
- the legal clock: working days used in legal stages (regular 21, self-declare 12 in all, plus what the law adds:
  an LPH audit extension, the Komite Fatwa after a missed MUI session). Paused time (returned, awaiting payment) and
  office service standards (the self-declare intake, the owner's windows) never count.

The transition service calls `advance` inside its transaction; pages and the API read `legal_clock`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from certification.workflow import table as wf
from core.calendar import days as cal

CLOCK_FIELDS = [
    "due_on",
    "stage_entered_on",
    "returned_from",
    "paused_remaining_days",
    "legal_days_used",
    "legal_extension_days",
    "owner_due_on",
]


@dataclass(frozen=True)
class LegalClock:
    total: int  # the law's working days for this pathway, plus extensions
    used: int  # working days used so far in legal stages
    running: bool  # False while paused, before the legal clock starts, or when the case is closed
    due_on: date | None  # when the whole case should be done, if the clock runs on from today

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def over(self) -> bool:
        return self.used > self.total


def _days_in_stage(app: Any, today: date) -> int:
    if app.stage_entered_on is None or not wf.state(app.state).legal(app.pathway):
        return 0
    return cal.working_days_between(app.stage_entered_on, today)


def legal_clock(app: Any, today: date | None = None) -> LegalClock | None:
    """The case's legal clock now (None for a draft: nothing has started)."""
    if app.state == "draft":
        return None
    today = today or cal.today()
    state = wf.state(app.state)
    total = wf.LEGAL_TOTAL[app.pathway] + app.legal_extension_days
    running = state.legal(app.pathway)
    used = app.legal_days_used + _days_in_stage(app, today)
    due = cal.add_working_days(today, max(total - used, 0)) if running else None
    return LegalClock(total=total, used=used, running=running, due_on=due)


def advance(app: Any, edge: wf.Transition, target: str, today: date, *, extra_days: int = 0) -> list[str]:
    """Move both clocks for `edge` (from app.state to `target`); returns the fields it set."""
    entering = wf.state(target)
    if edge.action == "extend_audit":
        app.due_on = cal.add_working_days(app.due_on or today, extra_days)
        app.legal_extension_days += extra_days
        return CLOCK_FIELDS
    if edge.action == "escalate_fatwa":
        days = wf.office_setting("KOMITE_FATWA_WORKING_DAYS")
        app.due_on = cal.add_working_days(today, days)
        app.legal_extension_days += days
        return CLOCK_FIELDS
    app.legal_days_used += _days_in_stage(app, today)
    app.stage_entered_on = today
    if entering.paused:
        if edge.action == "return":
            app.returned_from = app.state
            app.paused_remaining_days = cal.working_days_between(today, app.due_on) if app.due_on is not None else None
        app.owner_due_on = cal.add_working_days(today, wf.office_setting(entering.owner_window or ""))
        app.due_on = None
    elif entering.terminal:
        app.due_on = app.owner_due_on = app.paused_remaining_days = None
    elif edge.action in ("resubmit", "uphold_appeal", "uphold_banding"):  # an upheld appeal: the stage's full days
        left: int | None = app.paused_remaining_days
        if left is None:
            left = entering.sla_days(app.pathway)
        app.due_on = None if left is None else cal.add_working_days(today, max(left, 1))
        app.returned_from = ""
        app.paused_remaining_days = app.owner_due_on = None
    else:
        limit = entering.sla_days(app.pathway)
        app.due_on = None if limit is None else cal.add_working_days(today, limit)
        app.owner_due_on = None
    return CLOCK_FIELDS


def is_overdue(app: Any, today: date | None = None) -> bool:
    return app.due_on is not None and app.state in wf.OPEN_STATES and app.due_on < (today or cal.today())


def owner_window_passed(app: Any, today: date | None = None) -> bool:
    return app.owner_due_on is not None and (today or cal.today()) > app.owner_due_on
