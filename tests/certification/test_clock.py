"""The SLA clock: working days from the office calendar (core.calendar.days), pauses and overdue detection."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from certification import selectors, services
from certification.models import Application
from core.calendar import days as cal
from core.calendar import days as office_calendar
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


def test_idul_fitri_nyepi_and_their_cuti_bersama_2026_are_days_off_in_the_calendar() -> None:
    days = office_calendar.non_working_days(2026)
    assert {date(2026, 3, 19), date(2026, 3, 21), date(2026, 3, 22)} <= days  # Nyepi, Idul Fitri 1447 H
    assert {date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)} <= days  # cuti bersama


def test_working_days_skip_weekends() -> None:
    assert cal.add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 12)  # Friday + 1 -> Monday
    assert cal.add_working_days(date(2026, 1, 5), 0) == date(2026, 1, 5)


def test_working_days_skip_nyepi_idul_fitri_and_the_cuti_bersama_around_them() -> None:
    # Wednesday 18 March 2026 is cuti bersama, Thursday 19 Nyepi, Friday 20 cuti bersama, the weekend of 21-22 is
    # Idul Fitri, Monday 23 and Tuesday 24 are cuti bersama: the next working day is Wednesday 25.
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert cal.add_working_days(date(2026, 3, 18), 2) == date(2026, 3, 26)
    assert cal.working_days_between(date(2026, 3, 17), date(2026, 3, 25)) == 1


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch) -> Any:
    """`on(date)` sets the Jakarta date the services see."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(cal, "today", lambda: day)

    return set_today


def test_each_stage_gets_its_due_date_from_the_sla_table(cast: f.Cast, on: Any) -> None:
    on(date(2026, 3, 2))  # Monday
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    assert app.due_on == date(2026, 3, 16)  # 10 working days
    on(date(2026, 3, 18))
    f.verify_all(app, cast.pph)
    services.application_transition(
        application_id=app.pk, action="pph_validate", actor=cast.pph, visit_date="2026-03-17", report="ok"
    )
    app.refresh_from_db()
    # 1 working day: 19 Nyepi, 20 cuti bersama, 21-22 Idul Fitri weekend, 23-24 cuti bersama are skipped.
    assert (app.state, app.due_on) == ("verification", date(2026, 3, 25))
    services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    app.refresh_from_db()
    assert (app.state, app.due_on) == ("fatwa", date(2026, 3, 25))  # self-declare fatwa: 1 working day


def test_the_clock_pauses_while_returned_and_resumes_with_the_days_left(cast: f.Cast, on: Any) -> None:
    on(date(2026, 3, 2))
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    on(date(2026, 3, 9))  # 5 working days left: 10, 11, 12, 13, 16 March
    services.application_transition(application_id=app.pk, action="return", actor=cast.pph, reason="Blurry photo")
    app.refresh_from_db()
    assert (app.state, app.due_on, app.paused_remaining_days) == ("returned", None, 5)
    on(date(2026, 3, 18))  # nine days later the owner resubmits
    services.application_transition(application_id=app.pk, action="resubmit", actor=cast.owner)
    app.refresh_from_db()
    # 5 working days from Wednesday 18 March: 25, 26, 27, 30, 31 (19 Nyepi; 20, 23, 24 cuti bersama; 21-22 Idul
    # Fitri weekend).
    assert (app.state, app.due_on, app.paused_remaining_days) == ("pph_verification", date(2026, 3, 31), None)


def test_an_overdue_case_is_detected_and_filtered(cast: f.Cast, on: Any) -> None:
    on(date(2026, 3, 2))
    late = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    on(date(2026, 3, 13))
    fresh = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    on(date(2026, 3, 16))
    assert not selectors.is_overdue(late)  # due today: not yet late
    on(date(2026, 3, 17))
    assert selectors.is_overdue(late)
    assert not selectors.is_overdue(fresh)
    overdue = selectors.applications_filtered(Application.objects.all(), user=cast.reviewer, overdue=True)
    assert list(overdue) == [late]
