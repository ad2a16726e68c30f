"""Reads of fee schedules. Schedules are public (no user scope); quotes read an in-process snapshot.

The quote API is hot and schedules change a few times a year, so every process keeps an immutable snapshot of all
schedules with their tiers. A generation stamp in the shared cache says when the snapshot is stale: a save anywhere
(signals in fees/signals.py) writes a new stamp, and each process reloads (two queries) when the stamp it holds
differs. A process reads the stamp at most once per RECHECK_SECONDS, so another process's change shows within that
time; once a process has itself written schedules (an admin process, a test) it reads the stamp on every quote,
because its own writes may have been rolled back.
"""

from __future__ import annotations

import bisect
import datetime
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from fees.models import FeeSchedule, FeeTier

GENERATION_KEY = "fees:schedules:generation"
RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class TierData:
    code: str
    label: str
    lower: int
    upper: int | None
    fee: int
    components: dict[str, int]
    renewal_fee: int | None = None


@dataclass(frozen=True)
class ScheduleData:
    """A schedule and its tiers as plain values: safe to share between threads and requests."""

    id: int
    slug: str
    name: str
    source: str
    basis: str
    version: int
    effective_from: datetime.date
    effective_to: datetime.date | None
    is_default: bool
    active: bool
    tiers: tuple[TierData, ...]
    # LPH examination cap per product category (ExaminationCategory values), whole rupiah; empty: no category caps.
    examination_caps: dict[str, int] = field(default_factory=dict)
    _lowers: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def in_effect_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def tier_for(self, basis_value: int) -> TierData | None:
        """The tier whose [lower, upper) holds the value; a negative value falls in the first tier."""
        if not self.tiers:
            return None
        if basis_value < self.tiers[0].lower:
            return self.tiers[0]
        tier = self.tiers[bisect.bisect_right(self._lowers, basis_value) - 1]
        if tier.upper is not None and basis_value >= tier.upper:
            return None
        return tier


def schedule_data(schedule: FeeSchedule, tiers: Any = None) -> ScheduleData:
    """Freeze a schedule and its tiers (uses prefetched tiers when there are: one query per schedule at most)."""
    rows = sorted(tiers if tiers is not None else schedule.tiers.all(), key=lambda t: t.lower)
    frozen = tuple(
        TierData(
            code=t.code,
            label=t.label,
            lower=t.lower,
            upper=t.upper,
            fee=t.fee,
            components={str(k): int(v) for k, v in (t.components or {}).items()},
            renewal_fee=t.renewal_fee,
        )
        for t in rows
    )
    return ScheduleData(
        id=schedule.pk,
        slug=schedule.slug,
        name=schedule.name,
        source=schedule.source,
        basis=schedule.basis,
        version=schedule.version,
        effective_from=schedule.effective_from,
        effective_to=schedule.effective_to,
        is_default=schedule.is_default,
        active=schedule.active,
        tiers=frozen,
        examination_caps={str(k): int(v) for k, v in (schedule.examination_caps or {}).items()},
        _lowers=tuple(t.lower for t in frozen),
    )


def schedules_with_tiers() -> QuerySet[FeeSchedule]:
    return FeeSchedule.objects.prefetch_related(Prefetch("tiers", queryset=FeeTier.objects.order_by("lower")))


def active_schedules() -> QuerySet[FeeSchedule]:
    """Active schedules with their tiers: two queries whatever the number of schedules."""
    return schedules_with_tiers().filter(active=True).order_by("-is_default", "slug", "-version")


class _Snapshot:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation: str | None = None
        self.schedules: tuple[ScheduleData, ...] = ()
        self.checked_at = float("-inf")
        self.writes_seen = False


_snapshot = _Snapshot()


def invalidate_schedule_cache() -> None:
    """Make every process reload its snapshot on its next quote."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    with _snapshot.lock:
        _snapshot.generation = None
        _snapshot.writes_seen = True


def cached_schedules() -> tuple[ScheduleData, ...]:
    now = time.monotonic()
    if _snapshot.generation is not None and not _snapshot.writes_seen and now - _snapshot.checked_at < RECHECK_SECONDS:
        return _snapshot.schedules
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    if generation is not None and generation == _snapshot.generation:
        _snapshot.checked_at = now
        return _snapshot.schedules
    loaded = tuple(schedule_data(s) for s in schedules_with_tiers().order_by("slug", "-version"))
    with _snapshot.lock:
        _snapshot.schedules = loaded
        _snapshot.generation = generation
        _snapshot.checked_at = now
    return loaded


def schedule_versions(slug: str) -> list[ScheduleData]:
    return [s for s in cached_schedules() if s.slug == slug]


def schedule_slug_exists(slug: str) -> bool:
    return any(s.slug == slug and s.active for s in cached_schedules())


def schedules_in_effect(day: datetime.date) -> list[ScheduleData]:
    """Active schedules in effect on the day, the highest version per slug, the default first."""
    chosen: dict[str, ScheduleData] = {}
    for s in cached_schedules():
        if s.active and s.in_effect_on(day) and (s.slug not in chosen or s.version > chosen[s.slug].version):
            chosen[s.slug] = s
    return sorted(chosen.values(), key=lambda s: (not s.is_default, s.slug))
