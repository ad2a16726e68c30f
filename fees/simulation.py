"""Policy simulation: apply schedules to many businesses' figures and compare them. Pure computation, no writes.

Each schedule's tiers are frozen once (one query per schedule at most, none when prefetched); the figures are read
once, so a generator over millions of rows works. Ratios are kept as whole hundredths of a percent (R is rounded to
two places anyway) to keep memory small.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import DomainError
from fees.models import Basis, FeeSchedule
from fees.quotes import ratio_percent
from fees.selectors import ScheduleData, schedule_data

QUANTILES: tuple[tuple[str, Decimal], ...] = (
    ("p10", Decimal("0.10")),
    ("p25", Decimal("0.25")),
    ("p50", Decimal("0.50")),
    ("p75", Decimal("0.75")),
    ("p90", Decimal("0.90")),
)
# Histogram edges of R in percent: [0, 0.5), [0.5, 1), ..., [50, +inf).
DEFAULT_BINS: tuple[Decimal, ...] = tuple(Decimal(x) for x in ("0", "0.5", "1", "2", "2.5", "5", "10", "20", "50"))
CENT = Decimal("0.01")


@dataclass(frozen=True)
class HistogramBin:
    lower: Decimal  # inclusive, percent
    upper: Decimal | None  # exclusive; None = open-ended
    count: int


@dataclass(frozen=True)
class SimulationResult:
    schedule_slug: str
    schedule_name: str
    schedule_version: int
    basis: str
    businesses: int
    tier_counts: dict[str, int]  # tier code -> businesses, in tier order, zeros included
    quantiles: dict[str, Decimal | None]  # p10..p90 of R (percent) over businesses with a defined R
    histogram: list[HistogramBin]
    threshold_percent: Decimal
    above_threshold: int  # R strictly above the threshold
    undefined_ratio: int  # gross income <= 0
    total_fees: int
    uncovered: int = 0  # basis above a closed last tier: no fee


def _threshold(value: Decimal | int | str) -> Decimal:
    try:
        threshold = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        threshold = Decimal("NaN")
    if threshold.is_nan() or not Decimal(0) <= threshold <= Decimal(100):
        message = _("The affordability threshold must be a percentage from 0 to 100.")
        raise DomainError(message, errors={"threshold_percent": [message]})
    return threshold


def _edges(bins: Sequence[Decimal | int | str] | None) -> tuple[Decimal, ...]:
    edges = tuple(Decimal(b) for b in bins) if bins is not None else DEFAULT_BINS
    if not edges or edges[0] != 0 or any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
        message = _("Histogram bins must start at 0 and increase.")
        raise DomainError(message, errors={"bins": [message]})
    return edges


def quantile(sorted_values: Sequence[int], q: Decimal) -> Decimal | None:
    """Linear interpolation between closest ranks (numpy's default) on hundredths; percent, 2 places, half up."""
    if not sorted_values:
        return None
    position = q * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    value = Decimal(sorted_values[low]) + (Decimal(sorted_values[high]) - Decimal(sorted_values[low])) * fraction
    return (value / 100).quantize(CENT, rounding=ROUND_HALF_UP)


class _Tally:
    def __init__(self, schedule: ScheduleData, edges: tuple[Decimal, ...], threshold: Decimal) -> None:
        self.schedule = schedule
        self.by_gross = schedule.basis == Basis.GROSS_INCOME
        self.tier_counts = {t.code: 0 for t in schedule.tiers}
        self.edges_hundredths = [int(e * 100) for e in edges]
        self.bins = [0] * len(edges)
        self.threshold = threshold
        self.ratios: list[int] = []
        self.above = self.undefined = self.total = self.count = self.uncovered = 0

    def add(self, sales: int, expenses: int) -> None:
        self.count += 1
        gross = sales - expenses
        tier = self.schedule.tier_for(gross if self.by_gross else sales)
        if tier is None:
            self.uncovered += 1
            return
        self.tier_counts[tier.code] += 1
        self.total += tier.fee
        ratio = ratio_percent(tier.fee, gross)
        if ratio is None:
            self.undefined += 1
            return
        if ratio > self.threshold:
            self.above += 1
        hundredths = int(ratio * 100)
        self.ratios.append(hundredths)
        self.bins[bisect.bisect_right(self.edges_hundredths, hundredths) - 1] += 1

    def result(self, edges: tuple[Decimal, ...]) -> SimulationResult:
        self.ratios.sort()
        uppers: list[Decimal | None] = [*edges[1:], None]
        return SimulationResult(
            schedule_slug=self.schedule.slug,
            schedule_name=self.schedule.name,
            schedule_version=self.schedule.version,
            basis=self.schedule.basis,
            businesses=self.count,
            tier_counts=dict(self.tier_counts),
            quantiles={name: quantile(self.ratios, q) for name, q in QUANTILES},
            histogram=[HistogramBin(lo, hi, n) for lo, hi, n in zip(edges, uppers, self.bins, strict=True)],
            threshold_percent=self.threshold,
            above_threshold=self.above,
            undefined_ratio=self.undefined,
            total_fees=self.total,
            uncovered=self.uncovered,
        )


def fee_simulate(
    *,
    figures: Iterable[tuple[int, int]],
    schedules: Sequence[FeeSchedule | ScheduleData],
    threshold_percent: Decimal = Decimal("2.5"),
    bins: Sequence[Decimal | int | str] | None = None,
) -> list[SimulationResult]:
    """Apply every schedule to every (annual sales, operating expenses) pair; one result per schedule, in order."""
    threshold = _threshold(threshold_percent)
    edges = _edges(bins)
    frozen = [s if isinstance(s, ScheduleData) else schedule_data(s) for s in schedules]
    tallies = [_Tally(s, edges, threshold) for s in frozen]
    for sales, expenses in figures:
        for tally in tallies:
            tally.add(int(sales), int(expenses))
    return [tally.result(edges) for tally in tallies]
