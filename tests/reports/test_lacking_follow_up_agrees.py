"""The monthly report and the officer's dashboard agree on programs lacking follow-up (issue 19, item 8).

The November case: a program that ended in October with a 30-day window (due 20 November), 20 participants who
attended and none followed up. The dashboard listed it (0/20); the November report said "None." because it only
looked at programs *ending* in the month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from applicants.models import Region
from reports import selectors as s
from reports.models import MonthlyReport
from reports.services import _context, month_period
from tests.training.factories import EnrollmentFactory, FollowUpFactory, ProgramFactory, bandar_lampung
from training.templatetags.training_home import officer_training_summary

pytestmark = pytest.mark.django_db


def november_case(officer: Any) -> Any:
    year = timezone.localdate().year - 1  # a November that is always past
    program = ProgramFactory(
        responsible_officer=officer,
        title="Alat Produksi Modern",
        start_date=dt.date(year, 10, 19),
        end_date=dt.date(year, 10, 21),
        follow_up_window_days=30,
    )
    assert program.follow_up_due_on == dt.date(year, 11, 20)
    for _ in range(20):
        EnrollmentFactory(program=program, attended=True)
    return program


def test_the_november_report_lists_the_0_of_20_program_the_dashboard_lists(oscar: Any) -> None:
    program = november_case(oscar)
    dashboard = officer_training_summary(oscar)
    assert [(p.pk, p.covered_count, p.attended_count) for p in dashboard["programs"]] == [(program.pk, 0, 20)]

    november = dt.date(program.end_date.year, 11, 1)
    context = _context(MonthlyReport(month=november, region=None))
    assert [p.pk for p in context["lacking"]] == [p.pk for p in dashboard["programs"]]
    assert context["lacking_total"] == dashboard["lacking_count"] == 1


def test_the_october_report_does_not_list_it_before_it_is_due(oscar: Any) -> None:
    program = november_case(oscar)
    october = month_period(dt.date(program.end_date.year, 10, 1), None)
    assert list(s.programs_lacking_follow_up(october)) == []


def test_a_program_followed_up_for_everyone_leaves_both_lists(oscar: Any) -> None:
    program = november_case(oscar)
    for enrollment in program.enrollments.all():
        FollowUpFactory(enrollment=enrollment, done_on=dt.date(program.end_date.year, 11, 2), outcome="Kunjungan")
    november = month_period(dt.date(program.end_date.year, 11, 1), None)
    assert list(s.programs_lacking_follow_up(november)) == []
    assert officer_training_summary(oscar)["programs"] == []


def test_a_regional_report_lists_the_program_only_where_someone_lacks_follow_up(oscar: Any) -> None:
    program = november_case(oscar)  # its participants are in Kota Bandar Lampung
    november = dt.date(program.end_date.year, 11, 1)
    city = bandar_lampung()
    assert [p.pk for p in s.programs_lacking_follow_up(month_period(november, city))] == [program.pk]
    province = city.parent
    assert [p.pk for p in s.programs_lacking_follow_up(month_period(november, province))] == [program.pk]
    elsewhere, _ = Region.objects.get_or_create(
        code="1803", defaults={"name": "Kabupaten Lampung Selatan", "kind": "regency", "parent": province}
    )
    assert list(s.programs_lacking_follow_up(month_period(november, elsewhere))) == []
