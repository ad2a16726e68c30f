"""Each dashboard number equals a direct count on the test data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.formats import date_format

from applicants.models import AnnualFigures, Business
from certification.models import Application, ApplicationEvent
from fees.models import FeeSchedule
from reports import selectors as s
from tests.reports import factories as f

pytestmark = pytest.mark.django_db

YEAR = f.YEAR
WHOLE_YEAR = s.Period(start=dt.date(YEAR, 1, 1), end=f.TODAY)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def data(oscar: Any) -> f.Dataset:
    return f.build(oscar)


def test_applications_by_state_and_pathway_equal_direct_counts(data: f.Dataset) -> None:
    rows = s.applications_by_state(WHOLE_YEAR)
    assert rows, "the dataset has applications this year"
    for row in rows:
        for pathway, n in row["by_pathway"].items():
            direct = Application.objects.filter(
                state=row["state"], pathway=pathway, created_at__date__gte=WHOLE_YEAR.start
            ).count()
            assert n == direct
    assert sum(sum(r["by_pathway"].values()) for r in rows) == 5  # the rejected one is from last year


def test_applications_filtered_by_region_count_only_that_regency(data: f.Dataset) -> None:
    south = s.Period(start=WHOLE_YEAR.start, end=WHOLE_YEAR.end, region=f.regency("1801"))
    total = sum(sum(r["by_pathway"].values()) for r in s.applications_by_state(south))
    assert (
        total
        == Application.objects.filter(business__region__code="1801", created_at__date__gte=WHOLE_YEAR.start).count()
    )
    assert total == 2


def test_a_province_region_includes_its_regencies(data: f.Dataset) -> None:
    lampung = s.Period(start=WHOLE_YEAR.start, end=WHOLE_YEAR.end, region=f.regency("18"))
    assert sum(sum(r["by_pathway"].values()) for r in s.applications_by_state(lampung)) == 5


def test_overdue_cases_by_stage_equal_direct_counts(data: f.Dataset) -> None:
    rows = {r["state"]: r["n"] for r in s.overdue_by_stage(WHOLE_YEAR)}
    assert rows == {"verification": 1, "lph_examination": 1}
    assert (
        sum(rows.values())
        == Application.objects.filter(due_on__lt=f.TODAY).exclude(state__in=["issued", "rejected", "cancelled"]).count()
    )


def test_certificates_per_month_regency_and_sector_equal_issue_events(data: f.Dataset) -> None:
    events = ApplicationEvent.objects.filter(to_state="issued")
    month = s.certificates_per_month(WHOLE_YEAR)
    assert sum(r["n"] for r in month) == events.count() == 2
    assert [r["label"] for r in month] == [date_format(min(f.TODAY, dt.date(YEAR, 2, 10)), "M Y")]
    assert not re.search(r"\d{4}-\d{2}", month[0]["label"])  # a month in words, never an ISO "2026-02"
    regency = {r["label"]: r["n"] for r in s.certificates_per_regency(WHOLE_YEAR)}
    assert regency == {
        "Kota Bandar Lampung": events.filter(application__business__region__code="1871").count(),
        "Kabupaten Lampung Selatan": events.filter(application__business__region__code="1801").count(),
    }
    sector = {r["label"]: r["n"] for r in s.certificates_per_sector(WHOLE_YEAR)}
    assert sector == {"Snacks and crackers": 1, "Beverages": 1}


def test_certificates_outside_the_period_are_not_counted(data: f.Dataset) -> None:
    last_year = s.Period(start=dt.date(YEAR - 1, 1, 1), end=dt.date(YEAR - 1, 12, 31))
    assert s.certificates_per_month(last_year) == []


def test_sehati_quota_used_and_left_sum_the_years_pools(data: f.Dataset) -> None:
    assert s.sehati_quota(WHOLE_YEAR) == {"year": YEAR, "places": 120, "used": 12, "left": 108}
    south = s.Period(start=WHOLE_YEAR.start, end=WHOLE_YEAR.end, region=f.regency("1801"))
    assert s.sehati_quota(south) == {"year": YEAR, "places": 20, "used": 5, "left": 15}


def test_training_coverage_counts_attended_participants_with_a_done_follow_up(data: f.Dataset) -> None:
    coverage = s.training_coverage(WHOLE_YEAR)
    assert [(p["attended"], p["covered"]) for p in coverage["programs"]] == [(2, 1)]
    assert coverage["percent"] == 50
    south = s.Period(start=WHOLE_YEAR.start, end=WHOLE_YEAR.end, region=f.regency("1801"))
    assert s.training_coverage(south)["programs"][0]["covered"] == 0


def test_programs_lacking_follow_up_lists_the_program_past_its_window(data: f.Dataset) -> None:
    period = s.Period(start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    assert list(s.programs_lacking_follow_up(period, today=dt.date(YEAR, 12, 31))) == data.programs


def test_fee_ratio_uses_each_business_latest_year_only(data: f.Dataset) -> None:
    schedule = FeeSchedule.objects.filter(active=True).first()
    assert schedule is not None
    result = s.fee_ratio_distribution([schedule])[0]
    assert result.businesses == Business.objects.count() == 5
    latest = list(s.latest_figures_rows())
    assert sorted(latest) == sorted(
        AnnualFigures.objects.filter(year=YEAR - 1).values_list("annual_sales", "operating_expenses")
    )
    assert sum(b.count for b in result.histogram) + result.undefined_ratio + result.uncovered == 5


def test_graduation_split_by_certified_and_trained(data: f.Dataset) -> None:
    period = s.Period(start=dt.date(YEAR - 1, 1, 1), end=WHOLE_YEAR.end)
    rows = {r["year"]: r for r in s.graduation_split(period)}
    # city[0]: certified and trained, graduated; south[0]: certified (issued) and trained, graduated.
    assert rows[YEAR - 1]["certified_trained"] == 2
    assert rows[YEAR - 1]["certified_untrained"] == 0
    assert rows[YEAR - 1]["uncertified_trained"] == 0
    assert rows[YEAR - 1]["uncertified_untrained"] == 0
    graduated_direct = (
        Business.objects.filter(figures__year=YEAR - 1, figures__workforce__gte=5)
        .filter(figures__year=YEAR - 2, figures__workforce__lte=4)
        .distinct()
    )
    assert graduated_direct.count() == 2


def test_the_coverage_chart_shows_the_programs_with_most_participants_not_followed_up(
    oscar: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports import figures
    from tests.training.factories import EnrollmentFactory, ProgramFactory

    data = f.build(oscar, copies=3)  # three programs: 2 attended, 1 followed up each
    worst = ProgramFactory(
        title="Zz pelatihan tanpa tindak lanjut",
        responsible_officer=oscar,
        start_date=dt.date(YEAR, 1, 5),
        end_date=dt.date(YEAR, 1, 7),
    )
    for business in data.businesses[:3]:
        EnrollmentFactory(program=worst, business=business, attended=True)
    monkeypatch.setattr(figures, "COVERAGE_BARS", 2)
    figure = figures.chart_for("coverage", WHOLE_YEAR, None)
    assert [row[1:] for row in figure.chart.rows] == [[3, 0], [2, 1]]
    assert figure.chart.rows[0][0] == worst.title  # first although last by title
    assert figure.chart.title == (
        "Training follow-up coverage: the 2 programs (of 4) with the most participants not followed up"
    )
    assert (figure.extra["attended"], figure.extra["covered"]) == (9, 3)  # the totals count every program
    monkeypatch.setattr(figures, "COVERAGE_BARS", 4)
    assert len(figures.chart_for("coverage", WHOLE_YEAR, None).chart.rows) == 4
    assert figures.chart_for("coverage", WHOLE_YEAR, None).chart.title == "Training follow-up coverage"


def test_the_national_view_counts_certificates_per_province_and_a_province_per_regency(data: f.Dataset) -> None:
    from reports.figures import chart_for

    assert s.certificates_per_province(WHOLE_YEAR) == [{"label": "Lampung", "n": 2}]
    national = chart_for("certificates-regency", WHOLE_YEAR, None)
    assert national.chart.rows == [["Lampung", 2]]
    lampung = s.Period(start=WHOLE_YEAR.start, end=WHOLE_YEAR.end, region=f.regency("1801").parent)
    by_regency = chart_for("certificates-regency", lampung, None)
    assert sorted(row[0] for row in by_regency.chart.rows) == ["Kabupaten Lampung Selatan", "Kota Bandar Lampung"]
