"""Business scale by the two official rules (pure: no database).

- BPS industry statistics, by workforce: micro 1-4, small 5-19, medium 20-99, large 100 or more.
- PP 7/2021 Pasal 35, by annual sales: micro <= Rp 2 bn, small <= Rp 15 bn, medium <= Rp 50 bn, large above.
  (Capital thresholds are shown for information; the platform decides by sales, see shared/domain/business_scale.json.)

A *graduation* is a year in which a business's scale by a rule is higher than in its previous filed year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.business_scale import MEDIUM_SALES_MAX, MICRO_SALES_MAX, SMALL_SALES_MAX


class Scale(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


# Order for "moving up": a higher rank is a bigger business.
RANK: dict[str, int] = {Scale.MICRO: 0, Scale.SMALL: 1, Scale.MEDIUM: 2, Scale.LARGE: 3}

# PP 7/2021: upper bounds (inclusive) in whole rupiah (core.business_scale is the one home of the sales bounds).
SALES_MAX: dict[str, int] = {Scale.MICRO: MICRO_SALES_MAX, Scale.SMALL: SMALL_SALES_MAX, Scale.MEDIUM: MEDIUM_SALES_MAX}
CAPITAL_MAX: dict[str, int] = {Scale.MICRO: 1_000_000_000, Scale.SMALL: 5_000_000_000, Scale.MEDIUM: 10_000_000_000}
# BPS: upper bounds (inclusive) in workers.
WORKFORCE_MAX: dict[str, int] = {Scale.MICRO: 4, Scale.SMALL: 19, Scale.MEDIUM: 99}


def _by_bounds(value: int, bounds: dict[str, int]) -> Scale:
    for scale in (Scale.MICRO, Scale.SMALL, Scale.MEDIUM):
        if value <= bounds[scale]:
            return scale
    return Scale.LARGE


def scale_by_workforce(workforce: int) -> Scale:
    """BPS scale; a workforce below 1 is not a business and is refused."""
    if workforce < 1:
        raise ValueError("workforce must be at least 1")
    return _by_bounds(workforce, WORKFORCE_MAX)


def scale_by_sales(annual_sales: int) -> Scale:
    """PP 7/2021 scale by annual sales (the rule the platform uses for fees and eligibility)."""
    if annual_sales < 0:
        raise ValueError("annual sales cannot be negative")
    return _by_bounds(annual_sales, SALES_MAX)


def scale_by_capital(capital: int) -> Scale:
    """PP 7/2021 scale by capital excluding land and buildings (shown for information only)."""
    if capital < 0:
        raise ValueError("capital cannot be negative")
    return _by_bounds(capital, CAPITAL_MAX)


def moved_up(previous: str | None, current: str) -> bool:
    return previous is not None and RANK[current] > RANK[previous]


@dataclass(frozen=True)
class YearScale:
    year: int
    annual_sales: int
    operating_expenses: int
    workforce: int
    capital: int
    bps: Scale
    pp7: Scale
    pp7_capital: Scale
    graduated_bps: bool
    graduated_pp7: bool

    @property
    def gross_income(self) -> int:
        return self.annual_sales - self.operating_expenses

    @property
    def graduated(self) -> bool:
        return self.graduated_bps or self.graduated_pp7


@dataclass(frozen=True)
class FiguresRow:
    year: int
    annual_sales: int
    workforce: int
    operating_expenses: int = 0
    capital: int = 0


def history(rows: Iterable[FiguresRow]) -> list[YearScale]:
    """Scale per filed year, oldest first, with graduation flags against the previous *filed* year."""
    result: list[YearScale] = []
    prev_bps: Scale | None = None
    prev_pp7: Scale | None = None
    for row in sorted(rows, key=lambda r: r.year):
        bps = scale_by_workforce(row.workforce)
        pp7 = scale_by_sales(row.annual_sales)
        result.append(
            YearScale(
                year=row.year,
                annual_sales=row.annual_sales,
                operating_expenses=row.operating_expenses,
                workforce=row.workforce,
                capital=row.capital,
                bps=bps,
                pp7=pp7,
                pp7_capital=scale_by_capital(row.capital),
                graduated_bps=moved_up(prev_bps, bps),
                graduated_pp7=moved_up(prev_pp7, pp7),
            )
        )
        prev_bps, prev_pp7 = bps, pp7
    return result
