from __future__ import annotations

import datetime

import factory

from fees.models import Basis, FeeSchedule, FeeTier
from fees.validation import TierSpec


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeSchedule

    slug = factory.Sequence(lambda n: f"test-schedule-{n}")
    name = factory.Sequence(lambda n: f"Test schedule {n}")
    source = "Test fixture"
    basis = Basis.GROSS_INCOME
    version = 1
    effective_from = datetime.date(2020, 1, 1)
    is_default = False
    active = True


class FeeTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeTier

    schedule = factory.SubFactory(FeeScheduleFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    label = factory.LazyAttribute(lambda o: f"Tier {o.code}")
    lower = 0
    upper = None
    fee = 100_000


def schedule_with_tiers(tiers: list[tuple[str, int, int | None, int]], **fields: object) -> FeeSchedule:
    """A schedule and its tiers given as (code, lower, upper, fee)."""
    schedule = FeeScheduleFactory(**fields)
    for code, lower, upper, fee in tiers:
        FeeTierFactory(schedule=schedule, code=code, lower=lower, upper=upper, fee=fee)
    return schedule


def specs(tiers: list[tuple[str, int, int | None, int]]) -> list[TierSpec]:
    return [TierSpec(code=c, label=c, lower=lo, upper=up, fee=fee) for c, lo, up, fee in tiers]
