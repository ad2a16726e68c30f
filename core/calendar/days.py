"""The office calendar: the one module that knows which days are working days (everyone else asks it).

A working day is Monday to Friday and not an active `CalendarDay` (national holiday, cuti bersama, office closure).
Holidays and cuti bersama of a year are seeded from the `holidays` package (country ID, categories "public" and
"government") the first time the year is needed, then frozen: a year that has its `CalendarYear` row is never read
from the package again, so upgrading the package never moves a due date already given. The admin adds closures and
removes wrong days (core/calendar/services.py); each change is audited and takes effect at once (cache generation
below).

    from core.calendar import days as cal
    cal.today(); cal.as_of(day); cal.add_working_days(start, n); cal.working_days_between(start, end)
    cal.is_working_day(day)

Counting rule: `add_working_days(start, n)` is the day n working days after `start` (`start` itself is not counted;
n=0 gives `start`); `working_days_between(start, end)` counts the working days after `start` up to and including
`end`. So `working_days_between(start, add_working_days(start, n)) == n`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import holidays
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.errors import DomainError
from core.models import CalendarDay, CalendarYear

FIRST_YEAR = 2015
LAST_YEAR = 2050
COUNTRY = "ID"
# Package category -> the kind of day it gives.
SEEDED_CATEGORIES = (("public", CalendarDay.Kind.NATIONAL_HOLIDAY), ("government", CalendarDay.Kind.CUTI_BERSAMA))

CACHE_PREFIX = "core:calendar:v1"
GENERATION_KEY = f"{CACHE_PREFIX}:generation"
CACHE_SECONDS = 24 * 3600

# Backdating for demo data: transitions inside `as_of(day)` start their clocks on that day.
_as_of: ContextVar[date | None] = ContextVar("core_calendar_as_of", default=None)


@dataclass(frozen=True)
class Day:
    """An active non-working day of the calendar, as plain values (cached, shown by the page and the API)."""

    date: date
    kind: str
    name: str
    source: str


# --- Today -------------------------------------------------------------------------------------------------------
def today() -> date:
    """Today in Asia/Jakarta (or the day set by `as_of`)."""
    return _as_of.get() or timezone.localdate()


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Run as if today were `day` (demo data with overdue cases; never used by requests)."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


# --- Years: bounds, seeding (frozen), the package -----------------------------------------------------------------
def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("The office calendar covers the years %(first)s to %(last)s; %(year)s is outside them.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year},
            errors={"year": [_("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]},
        )


def package_source() -> str:
    return f"holidays {holidays.__version__}"


def package_days(year: int) -> list[Day]:
    """What the `holidays` package says about `year` today, in Indonesian (read only when a year is seeded)."""
    days: dict[date, Day] = {}
    for category, kind in SEEDED_CATEGORIES:
        table = holidays.country_holidays(COUNTRY, years=year, categories=(category,), language="id")
        for day, name in sorted(table.items()):
            # A date in both categories stays a national holiday (the stronger kind, listed first).
            days.setdefault(day, Day(date=day, kind=kind, name=name[:200], source=f"{package_source()}, {category}"))
    return sorted(days.values(), key=lambda d: d.date)


def ensure_year(year: int, *, actor: Any = None) -> bool:
    """Seed `year` from the package unless it was seeded before; True when this call seeded it.

    Race-safe: the CalendarYear row is inserted first, in the same transaction as the days, and its unique year
    makes a concurrent seeder wait and then fail, so exactly one seeding happens. Dates that already have an active
    row (a closure or a day copied in before the year was seeded) keep it: the office's own entry wins.
    """
    check_year(year)
    if CalendarYear.objects.filter(year=year).exists():
        return False
    days = package_days(year)  # outside the transaction: no lock is held while the package computes
    try:
        with transaction.atomic():
            CalendarYear.objects.create(year=year, source=package_source())
            taken = set(CalendarDay.objects.filter(date__year=year, active=True).values_list("date", flat=True))
            rows = [
                CalendarDay(date=d.date, kind=d.kind, name=d.name, source=d.source, created_by=actor)
                for d in days
                if d.date not in taken
            ]
            bulk_create_with_history(rows, CalendarDay, default_user=actor)
    except IntegrityError:
        return False  # another process seeded it first; its rows are the year's
    return True


# --- Reads, cached --------------------------------------------------------------------------------------------------
def _generation() -> str:
    """The cache generation: every change writes a new one, so every process reloads (no stale year survives)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY) or ""
    return str(generation)


def forget() -> None:
    """Drop every cached year (called on any change to the calendar's rows, now and again on commit)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def days_of(year: int) -> tuple[Day, ...]:
    """The active non-working days of `year` (weekends are not listed), seeding the year on first use.

    Cached per year under the current generation. The cache is filled only once the transaction that read the rows
    commits: a year seeded (or a day changed) in a transaction that rolls back never reaches the cache, and a fill
    that raced a change lands under the old generation, which nobody reads any more.
    """
    key = f"{CACHE_PREFIX}:{_generation()}:{year}"
    cached = cache.get(key)
    if cached is not None:
        return tuple(cached)
    ensure_year(year)
    rows = CalendarDay.objects.filter(date__year=year, active=True).order_by("date", "id")
    days = tuple(Day(date=r.date, kind=r.kind, name=r.name, source=r.source) for r in rows)
    transaction.on_commit(partial(cache.set, key, days, CACHE_SECONDS))
    return days


def non_working_days(year: int) -> frozenset[date]:
    """The dates of `year` that are not working days besides weekends (holidays, cuti bersama, closures)."""
    return frozenset(d.date for d in days_of(year))


# --- Working days (pure over a lookup of days off per year) ---------------------------------------------------------
DaysOff = Callable[[int], frozenset[date]]


def _memo(lookup: DaysOff) -> DaysOff:
    """One lookup per year per call: a long count crosses a year at most a few times."""
    seen: dict[int, frozenset[date]] = {}

    def get(year: int) -> frozenset[date]:
        if year not in seen:
            seen[year] = lookup(year)
        return seen[year]

    return get


def _works(day: date, days_off: DaysOff) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def count_forward(start: date, n: int, days_off: DaysOff) -> date:
    """The day `n` working days after `start`, given the days off of each year (pure: no database)."""
    day = start
    left = n
    while left > 0:
        day += timedelta(days=1)
        if _works(day, days_off):
            left -= 1
    return day


def count_between(start: date, end: date, days_off: DaysOff) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`); pure."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if _works(day, days_off):
            count += 1
    return count


def is_working_day(day: date) -> bool:
    check_year(day.year)
    return _works(day, non_working_days)


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (n=0 gives `start`); a year it crosses into is seeded if needed."""
    if n < 0:
        raise DomainError(_("The number of working days must not be negative."))
    check_year(start.year)
    return count_forward(start, n, _memo(non_working_days))  # past LAST_YEAR: refused by the year check


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end` (0 when `end` is not after `start`)."""
    check_year(start.year)
    check_year(end.year)
    return count_between(start, end, _memo(non_working_days))


def working_days_in(year: int, days: tuple[Day, ...] | None = None) -> int:
    """How many working days `year` has; pass the year's `days_of(year)` when you already hold it."""
    check_year(year)
    off = frozenset(d.date for d in (days_of(year) if days is None else days))
    return count_between(date(year - 1, 12, 31), date(year, 12, 31), lambda _year: off)


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_changed(**kwargs: Any) -> None:
    # Now, for this transaction's own later reads, and again on commit, for any process that read meanwhile.
    forget()
    transaction.on_commit(forget)
