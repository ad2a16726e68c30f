"""The paper's Table 5 (Purwanto et al. 2024) and the official BPJPH tariff at the PP 7/2021 thresholds.

The numbers here are copied from the sources, not read from the database, so a wrong seed fails these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from fees.services import fee_quote

BRIN = "brin-affordable-2024"
BPJPH = "bpjph-tariff-2021"

# Table 5: category, fee, lower income limit, upper income limit (Large B's upper is where the survey stopped).
TABLE5 = [
    ("MS-A", 774_231, 0, 5_242_210),
    ("MS-B", 828_571, 5_242_210, 17_229_258),
    ("M-A", 1_166_667, 17_229_258, 79_904_357),
    ("M-B", 2_030_769, 79_904_357, 99_852_694),
    ("L-A", 2_995_581, 99_852_694, 194_444_444),
    ("L-B", 5_214_286, 194_444_444, 328_769_591),
]


def _cases() -> list[tuple[int, str, int]]:
    cases = []
    for index, (code, fee, lower, upper) in enumerate(TABLE5):
        cases.append((lower, code, fee))
        cases.append(((lower + upper) // 2, code, fee))
        if index > 0:
            previous_code, previous_fee = TABLE5[index - 1][0], TABLE5[index - 1][1]
            cases.append((lower - 1, previous_code, previous_fee))
        else:
            cases.append((lower - 1, code, fee))  # -1: a negative gross income falls in the first tier
    cases.append((328_769_591, "L-B", 5_214_286))  # above the last surveyed bound the last tier applies
    return cases


@pytest.mark.parametrize(("gross_income", "code", "fee"), _cases())
def test_table5_fee_at_lower_bound_one_below_and_midpoint(db: None, gross_income: int, code: str, fee: int) -> None:
    # Gross income = sales - expenses (Eq. 2): give the figure as sales with some expenses to exercise Eq. 2 too.
    expenses = 1_000_000
    quote = fee_quote(annual_sales=gross_income + expenses, operating_expenses=expenses, schedule_slug=BRIN)
    assert quote.gross_income == gross_income
    assert quote.basis == "gross_income"
    assert quote.basis_value == gross_income
    assert (quote.tier_code, quote.fee) == (code, fee)
    assert quote.schedule_slug == BRIN
    assert quote.schedule_version == 1


@pytest.mark.parametrize(
    ("annual_sales", "code", "fee", "components"),
    [
        (0, "UMK", 650_000, {"registration": 300_000, "examination_cap": 350_000}),
        (15_000_000_000, "UMK", 650_000, {"registration": 300_000, "examination_cap": 350_000}),
        (15_000_000_001, "MED", 8_000_000, {"registration": 5_000_000, "examination_cap": 3_000_000}),
        (50_000_000_000, "MED", 8_000_000, {"registration": 5_000_000, "examination_cap": 3_000_000}),
        (50_000_000_001, "LARGE", 15_500_000, {"registration": 12_500_000, "examination_cap": 3_000_000}),
        (10**15, "LARGE", 15_500_000, {"registration": 12_500_000, "examination_cap": 3_000_000}),
    ],
)
def test_official_tariff_at_pp_7_2021_thresholds(
    db: None, annual_sales: int, code: str, fee: int, components: dict[str, int]
) -> None:
    # The tariff goes by annual sales, whatever the expenses.
    quote = fee_quote(annual_sales=annual_sales, operating_expenses=annual_sales // 2, schedule_slug=BPJPH)
    assert quote.basis == "annual_sales"
    assert quote.basis_value == annual_sales
    assert (quote.tier_code, quote.fee, quote.components) == (code, fee, components)


def test_official_tariff_is_the_default_schedule(db: None) -> None:
    quote = fee_quote(annual_sales=20_000_000, operating_expenses=5_000_000)
    assert quote.schedule_slug == BPJPH
    assert quote.fee == 650_000


@pytest.mark.parametrize(
    ("sales", "expenses", "fee", "ratio"),
    [
        (10_000_000, 2_000_000, 828_571, Decimal("10.36")),  # 828571 / 8000000 = 10.357...% -> 10.36
        (99_000_000, 0, 2_030_769, Decimal("2.05")),  # 2.05128...% -> 2.05
        (200_000_000, 0, 5_214_286, Decimal("2.61")),  # 2.607143% -> 2.61
        (30_969_260, 0, 1_166_667, Decimal("3.77")),  # 3.7671...% -> 3.77
        (77_423_100, 0, 1_166_667, Decimal("1.51")),  # 1.50686...% -> 1.51
    ],
)
def test_ratio_is_fee_over_gross_income_rounded_half_up(
    db: None, sales: int, expenses: int, fee: int, ratio: Decimal
) -> None:
    quote = fee_quote(annual_sales=sales, operating_expenses=expenses, schedule_slug=BRIN)
    assert quote.fee == fee
    assert quote.ratio_percent == ratio
    assert quote.ratio_percent.as_tuple().exponent == -2


def test_ratio_rounds_a_half_hundredth_up(db: None) -> None:
    # 650000 / 52000000 * 100 = 1.25 exactly; 650000 / 26000000 * 100 = 2.5; 650000 / 104000000 = 0.625 -> 0.63
    quote = fee_quote(annual_sales=104_000_000, operating_expenses=0, schedule_slug=BPJPH)
    assert quote.ratio_percent == Decimal("0.63")


def test_negative_gross_income_falls_in_the_first_tier_with_no_ratio(db: None) -> None:
    quote = fee_quote(annual_sales=3_000_000, operating_expenses=5_000_000, schedule_slug=BRIN)
    assert quote.gross_income == -2_000_000
    assert (quote.tier_code, quote.fee) == ("MS-A", 774_231)
    assert quote.ratio_percent is None
    assert quote.affordability == "undefined"


def test_zero_gross_income_has_no_ratio(db: None) -> None:
    quote = fee_quote(annual_sales=5_000_000, operating_expenses=5_000_000, schedule_slug=BPJPH)
    assert quote.gross_income == 0
    assert quote.ratio_percent is None
