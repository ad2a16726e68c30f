"""The SLA calendar: `core.workdays` plus the collective leave days the admin enters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from certification.models import CollectiveLeaveDay
from core import workdays

CACHE_KEY = "certification:collective-leave:v1"
# Backdating for demo data: transitions inside `as_of(day)` start their clocks on that day.
_as_of: ContextVar[date | None] = ContextVar("certification_as_of", default=None)


def collective_leave() -> frozenset[date]:
    """Every collective leave day (a few dozen rows at most), cached until the admin edits one."""
    days = cache.get(CACHE_KEY)
    if days is None:
        days = frozenset(CollectiveLeaveDay.objects.values_list("date", flat=True))
        cache.set(CACHE_KEY, days, 3600)
    return days


@receiver([post_save, post_delete], sender=CollectiveLeaveDay)
def _forget_collective_leave(**kwargs: object) -> None:
    cache.delete(CACHE_KEY)


def today() -> date:
    """Today in Asia/Jakarta (or the day set by `as_of`)."""
    return _as_of.get() or timezone.localdate()


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Run transitions as if today were `day` (demo data with overdue cases; never used by requests)."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def add_working_days(start: date, n: int) -> date:
    return workdays.add_working_days(start, n, collective_leave())


def working_days_between(start: date, end: date) -> int:
    return workdays.working_days_between(start, end, collective_leave())
