"""Property tests on the seeded schedules (hypothesis): monotone fees, exactly one tier for every basis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fees.quotes import quote_with
from fees.selectors import ScheduleData, schedule_versions

SEEDED = ["brin-affordable-2024", "bpjph-tariff-2021"]
BASIS = st.integers(min_value=0, max_value=10**15)


def _seeded(slug: str) -> ScheduleData:
    (schedule,) = schedule_versions(slug)
    return schedule


def _quote(schedule: ScheduleData, basis: int) -> int:
    # Both bases are reachable with zero expenses: gross income = annual sales.
    return quote_with(schedule, annual_sales=basis, operating_expenses=0).fee


@pytest.mark.parametrize("slug", SEEDED)
def test_fee_never_decreases_as_the_basis_grows(db: None, slug: str) -> None:
    schedule = _seeded(slug)

    @settings(max_examples=300, deadline=None)
    @given(a=BASIS, b=BASIS)
    def check(a: int, b: int) -> None:
        low, high = sorted((a, b))
        assert _quote(schedule, low) <= _quote(schedule, high)

    check()


@pytest.mark.parametrize("slug", SEEDED)
def test_every_non_negative_basis_lands_in_exactly_one_tier(db: None, slug: str) -> None:
    schedule = _seeded(slug)
    boundaries = [t.lower for t in schedule.tiers] + [t.upper for t in schedule.tiers if t.upper]
    near_boundaries = st.sampled_from(boundaries).flatmap(lambda b: st.integers(max(0, b - 2), b + 2))

    @settings(max_examples=300, deadline=None)
    @given(value=st.one_of(BASIS, near_boundaries))
    def check(value: int) -> None:
        holding = [t for t in schedule.tiers if t.lower <= value and (t.upper is None or value < t.upper)]
        assert len(holding) == 1
        assert schedule.tier_for(value) == holding[0]
        quote = quote_with(schedule, annual_sales=value, operating_expenses=0)
        assert quote.tier_code == holding[0].code

    check()


@pytest.mark.parametrize("slug", SEEDED)
def test_expenses_never_raise_the_fee_on_a_gross_income_basis(db: None, slug: str) -> None:
    schedule = _seeded(slug)

    @settings(max_examples=200, deadline=None)
    @given(sales=BASIS, expenses=BASIS)
    def check(sales: int, expenses: int) -> None:
        with_costs = quote_with(schedule, annual_sales=sales, operating_expenses=expenses)
        without = quote_with(schedule, annual_sales=sales, operating_expenses=0)
        assert with_costs.fee <= without.fee
        assert (with_costs.ratio_percent is None) == (sales - expenses <= 0)

    check()
