"""Property tests of the working-day count (hypothesis), over the seeded 2025-2027 calendar with a closure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.calendar import days as cal
from core.calendar import services

pytestmark = pytest.mark.django_db

STARTS = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
COUNTS = st.integers(min_value=0, max_value=60)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def calendar(ayu: Any) -> None:
    """2025 to 2027 seeded, plus an office closure, so every kind of day off is in play."""
    for year in (2025, 2026, 2027):
        cal.ensure_year(year)
    services.calendar_day_add(day=date(2026, 3, 4), name="Kantor tutup: banjir", actor=ayu)


def test_a_due_date_is_never_a_day_off(calendar: None) -> None:
    @PROPERTY
    @given(start=STARTS, n=st.integers(min_value=1, max_value=60))
    def check(start: date, n: int) -> None:
        due = cal.add_working_days(start, n)
        assert due > start
        assert due.weekday() < 5
        assert due not in cal.non_working_days(due.year)
        assert cal.is_working_day(due)

    check()


def test_counting_back_the_working_days_to_a_due_date_gives_n(calendar: None) -> None:
    @PROPERTY
    @given(start=STARTS, n=COUNTS)
    def check(start: date, n: int) -> None:
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n

    check()


def test_more_working_days_never_give_an_earlier_due_date(calendar: None) -> None:
    @PROPERTY
    @given(start=STARTS, a=COUNTS, b=COUNTS)
    def check(start: date, a: int, b: int) -> None:
        low, high = sorted((a, b))
        assert cal.add_working_days(start, low) <= cal.add_working_days(start, high)
        if low < high:
            assert cal.add_working_days(start, low) < cal.add_working_days(start, high)

    check()


def test_the_working_days_between_two_dates_add_up_across_a_middle_date(calendar: None) -> None:
    @PROPERTY
    @given(days=st.lists(STARTS, min_size=3, max_size=3))
    def check(days: list[date]) -> None:
        first, middle, last = sorted(days)
        assert cal.working_days_between(first, last) == cal.working_days_between(
            first, middle
        ) + cal.working_days_between(middle, last)

    check()
