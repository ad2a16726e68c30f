"""Indonesian working days (a leaf module: imports no app).

A working day is Monday to Friday, not a national holiday (the `holidays` package, country "ID") and not one of the
extra days passed in (collective leave, `cuti bersama`, which the admin enters; certification loads them).
The functions are pure: callers pass the extra days, so tests need no database.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

EMPTY: frozenset[date] = frozenset()


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[date]:
    """Indonesian national holidays of one year (cached: the table does not change while we run)."""
    return frozenset(holidays.country_holidays("ID", years=year).keys())


def is_working_day(day: date, extra_holidays: frozenset[date] = EMPTY) -> bool:
    return day.weekday() < 5 and day not in national_holidays(day.year) and day not in extra_holidays


def add_working_days(start: date, n: int, extra_holidays: frozenset[date] = EMPTY) -> date:
    """The day that is `n` working days after `start` (`start` itself is not counted; n=0 gives `start`)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    left = n
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, extra_holidays):
            left -= 1
    return day


def working_days_between(start: date, end: date, extra_holidays: frozenset[date] = EMPTY) -> int:
    """How many working days lie after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, extra_holidays):
            count += 1
    return count
