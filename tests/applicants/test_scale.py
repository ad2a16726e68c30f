from __future__ import annotations

import pytest

from applicants.scale import FiguresRow, Scale, history, scale_by_capital, scale_by_sales, scale_by_workforce
from applicants.selectors import graduations, scale_history
from tests.applicants.factories import BusinessFactory, FiguresFactory


@pytest.mark.parametrize(
    ("workforce", "expected"),
    [(1, Scale.MICRO), (4, Scale.MICRO), (5, Scale.SMALL), (19, Scale.SMALL), (20, Scale.MEDIUM), (99, Scale.MEDIUM),
     (100, Scale.LARGE), (5000, Scale.LARGE)],
)  # fmt: skip
def test_bps_scale_follows_the_workforce_thresholds(workforce: int, expected: Scale) -> None:
    assert scale_by_workforce(workforce) == expected


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        (0, Scale.MICRO),
        (2_000_000_000, Scale.MICRO),
        (2_000_000_001, Scale.SMALL),
        (15_000_000_000, Scale.SMALL),
        (15_000_000_001, Scale.MEDIUM),
        (50_000_000_000, Scale.MEDIUM),
        (50_000_000_001, Scale.LARGE),
    ],
)
def test_pp7_scale_follows_the_sales_thresholds(sales: int, expected: Scale) -> None:
    assert scale_by_sales(sales) == expected


@pytest.mark.parametrize(
    ("capital", "expected"),
    [(1_000_000_000, Scale.MICRO), (1_000_000_001, Scale.SMALL), (5_000_000_001, Scale.MEDIUM),
     (10_000_000_001, Scale.LARGE)],
)  # fmt: skip
def test_pp7_capital_scale_is_shown_for_information(capital: int, expected: Scale) -> None:
    assert scale_by_capital(capital) == expected


def test_a_workforce_of_zero_or_negative_sales_has_no_scale() -> None:
    with pytest.raises(ValueError, match="workforce"):
        scale_by_workforce(0)
    with pytest.raises(ValueError, match="negative"):
        scale_by_sales(-1)


@pytest.mark.parametrize(("before", "after"), [(4, 5), (19, 20), (99, 100)])
def test_crossing_each_workforce_threshold_is_a_bps_graduation(before: int, after: int) -> None:
    rows = history([FiguresRow(2023, 100, before), FiguresRow(2024, 100, after)])
    assert [r.graduated_bps for r in rows] == [False, True]
    assert [r.graduated_pp7 for r in rows] == [False, False]


@pytest.mark.parametrize(("before", "after"), [(4, 4), (5, 19), (20, 99), (100, 90)])
def test_staying_in_or_falling_out_of_a_workforce_band_is_no_graduation(before: int, after: int) -> None:
    rows = history([FiguresRow(2023, 100, before), FiguresRow(2024, 100, after)])
    assert not any(r.graduated for r in rows)


@pytest.mark.parametrize(
    ("before", "after"),
    [(2_000_000_000, 2_000_000_001), (15_000_000_000, 15_000_000_001), (50_000_000_000, 50_000_000_001)],
)
def test_crossing_each_sales_threshold_is_a_pp7_graduation(before: int, after: int) -> None:
    rows = history([FiguresRow(2024, after, 3), FiguresRow(2023, before, 3)])
    assert [(r.year, r.graduated_pp7, r.graduated_bps) for r in rows] == [(2023, False, False), (2024, True, False)]


@pytest.mark.parametrize(
    ("before", "after"), [(1_999_999_999, 2_000_000_000), (14_000_000_000, 15_000_000_000), (50_000_000_001, 3)]
)
def test_sales_up_to_a_threshold_or_falling_is_no_pp7_graduation(before: int, after: int) -> None:
    rows = history([FiguresRow(2023, before, 3), FiguresRow(2024, after, 3)])
    assert not rows[1].graduated_pp7


def test_graduation_compares_with_the_previous_filed_year_even_across_a_gap() -> None:
    rows = history([FiguresRow(2020, 1_000, 2), FiguresRow(2023, 3_000_000_000, 2), FiguresRow(2024, 3_000_000_000, 2)])
    assert [r.graduated_pp7 for r in rows] == [False, True, False]


def test_scale_history_and_graduation_counts_come_from_the_database(db: None, alice) -> None:  # noqa: ANN001
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2023, annual_sales=2_000_000_000, workforce=4)
    FiguresFactory(business=business, year=2024, annual_sales=2_000_000_001, workforce=5)
    FiguresFactory(business=BusinessFactory(owner=alice), year=2024, annual_sales=10, workforce=1)
    rows = scale_history(business)
    assert [(r.year, r.pp7, r.bps, r.graduated_pp7, r.graduated_bps) for r in rows] == [
        (2023, Scale.MICRO, Scale.MICRO, False, False),
        (2024, Scale.SMALL, Scale.SMALL, True, True),
    ]
    from applicants.models import Business

    assert graduations(Business.objects.all(), range(2023, 2026)) == {
        2023: {"bps": 0, "pp7": 0, "any": 0},
        2024: {"bps": 1, "pp7": 1, "any": 1},
        2025: {"bps": 0, "pp7": 0, "any": 0},
    }


def test_graduation_counts_take_the_same_number_of_queries_for_many_businesses(
    db: None,
    alice,
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    from applicants.models import Business

    for _ in range(10):
        business = BusinessFactory(owner=alice)
        FiguresFactory(business=business, year=2023, workforce=4)
        FiguresFactory(business=business, year=2024, workforce=5)
    with django_assert_num_queries(1):
        counts = graduations(Business.objects.all(), range(2023, 2025))
    assert counts[2024]["bps"] == 10


def test_graduation_counts_of_the_database_equal_the_python_rule_on_varied_histories(db: None, alice) -> None:  # noqa: ANN001
    """The SQL ranking (CASE from the same bounds, LAG over filed years) agrees with applicants.scale.history on
    every threshold's both sides, falls as well as rises, gaps between filed years, and years outside the range."""
    import random

    from applicants.models import Business

    rng = random.Random(20261123)
    sales_points = [0, 2_000_000_000, 2_000_000_001, 15_000_000_000, 15_000_000_001, 50_000_000_000, 50_000_000_001]
    workforce_points = [1, 4, 5, 19, 20, 99, 100]
    expected: dict[int, dict[str, int]] = {year: {"bps": 0, "pp7": 0, "any": 0} for year in range(2021, 2025)}
    for _ in range(40):
        business = BusinessFactory(owner=alice)
        years = sorted(rng.sample(range(2019, 2026), rng.randint(1, 5)))
        rows = [FiguresRow(year, rng.choice(sales_points), rng.choice(workforce_points)) for year in years]
        for row in rows:
            FiguresFactory(business=business, year=row.year, annual_sales=row.annual_sales, workforce=row.workforce)
        for entry in history([r for r in rows if r.year <= 2024]):
            if entry.year in expected and entry.graduated:
                expected[entry.year]["bps"] += int(entry.graduated_bps)
                expected[entry.year]["pp7"] += int(entry.graduated_pp7)
                expected[entry.year]["any"] += 1
    assert sum(year["any"] for year in expected.values()) > 10  # the data does exercise graduations
    assert graduations(Business.objects.all(), range(2021, 2025)) == expected
