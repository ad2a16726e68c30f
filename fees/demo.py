"""Demo data for fees: the schedules come from the seeding migration, so there is nothing to add."""

from __future__ import annotations

from typing import Any

from fees.models import FeeSchedule, FeeTier


def load(*, users: dict[str, Any]) -> str:
    schedules = FeeSchedule.objects.filter(active=True).count()
    tiers = FeeTier.objects.filter(schedule__active=True).count()
    return f"{schedules} active fee schedules with {tiers} tiers (seeded by migration)"
