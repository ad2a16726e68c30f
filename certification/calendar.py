"""The SLA calendar: `halalmsi.workdays` plus the collective leave days the admin enters."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from certification.models import CollectiveLeaveDay
from halalmsi import workdays

CACHE_KEY = "certification:collective-leave:v1"


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
    """Today in Asia/Jakarta."""
    return timezone.localdate()


def add_working_days(start: date, n: int) -> date:
    return workdays.add_working_days(start, n, collective_leave())


def working_days_between(start: date, end: date) -> int:
    return workdays.working_days_between(start, end, collective_leave())
