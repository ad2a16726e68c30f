from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from core.errors import DomainError
from fees.models import FeeSchedule
from fees.selectors import active_schedules
from fees.services import HistogramBin, fee_simulate

from .factories import schedule_with_tiers

# Hand-computed: gross incomes 50, 200, 1000, 4000, 0, -20.
FIGURES = [(50, 0), (200, 0), (1000, 0), (4000, 0), (10, 10), (10, 30)]


@pytest.fixture
def small(db: None) -> FeeSchedule:
    return schedule_with_tiers([("A", 0, 100, 5), ("B", 100, 1000, 10), ("C", 1000, None, 20)], slug="small")


def test_simulation_numbers_on_a_hand_computed_set(small: FeeSchedule) -> None:
    (result,) = fee_simulate(figures=FIGURES, schedules=[small], bins=[0, 1, 5])
    assert result.schedule_slug == "small"
    assert result.businesses == 6
    assert result.tier_counts == {"A": 3, "B": 1, "C": 2}
    assert result.total_fees == 5 + 10 + 20 + 20 + 5 + 5
    # R = 10%, 5%, 2%, 0.5%; undefined for gross income 0 and -20.
    assert result.undefined_ratio == 2
    assert result.above_threshold == 2  # 5% and 10% exceed 2.5%
    assert result.threshold_percent == Decimal("2.5")
    assert result.quantiles == {
        "p10": Decimal("0.95"),  # 0.5 + 0.3 x (2 - 0.5)
        "p25": Decimal("1.63"),  # 0.5 + 0.75 x 1.5 = 1.625, half up
        "p50": Decimal("3.50"),
        "p75": Decimal("6.25"),
        "p90": Decimal("8.50"),
    }
    assert result.histogram == [
        HistogramBin(Decimal(0), Decimal(1), 1),
        HistogramBin(Decimal(1), Decimal(5), 1),
        HistogramBin(Decimal(5), None, 2),
    ]


def test_simulation_compares_schedules_from_one_pass_over_a_generator(small: FeeSchedule) -> None:
    consumed = []

    def figures() -> Iterator[tuple[int, int]]:
        for pair in FIGURES:
            consumed.append(pair)
            yield pair

    tariff = FeeSchedule.objects.get(slug="bpjph-tariff-2021")
    small_result, tariff_result = fee_simulate(figures=figures(), schedules=[small, tariff])
    assert consumed == FIGURES
    assert small_result.total_fees == 65
    assert tariff_result.tier_counts == {"UMK": 6, "MED": 0, "LARGE": 0}
    assert tariff_result.total_fees == 6 * 650_000
    assert tariff_result.undefined_ratio == 2
    assert tariff_result.above_threshold == 4


def test_threshold_changes_the_count_above_it(small: FeeSchedule) -> None:
    (strict,) = fee_simulate(figures=FIGURES, schedules=[small], threshold_percent=Decimal("5"))
    (lenient,) = fee_simulate(figures=FIGURES, schedules=[small], threshold_percent=Decimal("0"))
    assert strict.above_threshold == 1  # only 10% is above 5%; 5% is not
    assert lenient.above_threshold == 4


def test_default_histogram_bins(small: FeeSchedule) -> None:
    (result,) = fee_simulate(figures=FIGURES, schedules=[small])
    counts = {(str(b.lower), str(b.upper)): b.count for b in result.histogram if b.count}
    assert counts == {("0.5", "1"): 1, ("2", "2.5"): 1, ("5", "10"): 1, ("10", "20"): 1}
    assert sum(b.count for b in result.histogram) == 4


def test_empty_figures_give_no_quantiles(small: FeeSchedule) -> None:
    (result,) = fee_simulate(figures=[], schedules=[small])
    assert result.businesses == 0
    assert result.quantiles == {"p10": None, "p25": None, "p50": None, "p75": None, "p90": None}
    assert result.tier_counts == {"A": 0, "B": 0, "C": 0}


@pytest.mark.parametrize("threshold", [Decimal("-0.01"), Decimal("100.01"), Decimal("NaN"), "abc", 1000])
def test_threshold_outside_0_to_100_is_refused(small: FeeSchedule, threshold: Any) -> None:
    with translation.override("en"), pytest.raises(DomainError) as raised:
        fee_simulate(figures=FIGURES, schedules=[small], threshold_percent=threshold)
    assert raised.value.errors["threshold_percent"] == [
        "The affordability threshold must be a percentage from 0 to 100."
    ]


@pytest.mark.parametrize("threshold", [Decimal(0), Decimal(100)])
def test_threshold_bounds_are_allowed(small: FeeSchedule, threshold: Decimal) -> None:
    (result,) = fee_simulate(figures=FIGURES, schedules=[small], threshold_percent=threshold)
    assert result.threshold_percent == threshold


@pytest.mark.parametrize("bins", [[1, 2], [0, 2, 2], [0, 3, 1], []])
def test_bad_bins_are_refused(small: FeeSchedule, bins: list[int]) -> None:
    with pytest.raises(DomainError):
        fee_simulate(figures=FIGURES, schedules=[small], bins=bins)


def test_tiers_are_loaded_once_per_schedule_whatever_the_number_of_businesses(
    small: FeeSchedule, django_assert_num_queries: Callable[..., Any]
) -> None:
    schedules = list(FeeSchedule.objects.filter(slug__in=["small", "bpjph-tariff-2021"]))
    with django_assert_num_queries(2):
        fee_simulate(figures=FIGURES, schedules=schedules)
    with django_assert_num_queries(2):
        fee_simulate(figures=FIGURES * 500, schedules=schedules)
    prefetched = list(active_schedules())
    with django_assert_num_queries(0):
        results = fee_simulate(figures=FIGURES * 500, schedules=prefetched)
    assert len(results) == 3
    assert all(r.businesses == 3000 for r in results)
