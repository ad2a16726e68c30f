"""Attendance per session day for multi-day programs (issue 19, item 9): service, officer page, and the migration
from the single checkbox. `Enrollment.attended` stays the summary the coverage counts: present on at least one day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from tests.training.factories import EnrollmentFactory, ProgramFactory
from training import selectors, services
from training.models import Enrollment, Program, SessionAttendance

START, END = date(2026, 1, 5), date(2026, 1, 7)


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


@pytest.fixture
def three_days(oscar: Any) -> dict[str, Any]:
    program = ProgramFactory(responsible_officer=oscar, start_date=START, end_date=END, title="Tiga Hari")
    return {
        "program": program,
        "ani": EnrollmentFactory(program=program, attended=None),
        "budi": EnrollmentFactory(program=program, attended=None),
    }


@pytest.mark.django_db
def test_each_day_is_recorded_on_its_own_and_attended_means_present_on_some_day(
    oscar: Any, three_days: dict[str, Any]
) -> None:
    program, ani, budi = three_days["program"], three_days["ani"], three_days["budi"]
    assert program.session_days == [date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7)]
    services.attendance_record(
        program=program, marks={ani.business_id: True, budi.business_id: False}, day=START, actor=oscar
    )
    services.attendance_record(
        program=program, marks={ani.business_id: False, budi.business_id: True}, day=date(2026, 1, 6), actor=oscar
    )
    assert selectors.attendance_of_day(program=program, day=START) == {ani.pk: True, budi.pk: False}
    assert selectors.attendance_of_day(program=program, day=date(2026, 1, 6)) == {ani.pk: False, budi.pk: True}
    ani.refresh_from_db()
    budi.refresh_from_db()
    assert (ani.attended, budi.attended) == (True, True)
    # Correcting a day overwrites it (one row per participant and day).
    services.attendance_record(program=program, marks={budi.business_id: False}, day=date(2026, 1, 6), actor=oscar)
    budi.refresh_from_db()
    assert budi.attended is False
    assert SessionAttendance.objects.filter(enrollment=budi).count() == 2
    assert selectors.with_coverage(Program.objects.filter(pk=program.pk)).get().attended_count == 1


@pytest.mark.django_db
def test_a_day_outside_the_program_is_refused_and_nothing_written(oscar: Any, three_days: dict[str, Any]) -> None:
    program, ani = three_days["program"], three_days["ani"]
    with translation.override("en"), pytest.raises(DomainError, match="08-01-2026 is not a day of this program"):
        services.attendance_record(program=program, marks={ani.business_id: True}, day=date(2026, 1, 8), actor=oscar)
    assert not SessionAttendance.objects.exists()
    ani.refresh_from_db()
    assert ani.attended is None


@pytest.mark.django_db
def test_the_officer_page_takes_attendance_day_by_day(
    oscar: Any, three_days: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    program, ani, budi = three_days["program"], three_days["ani"], three_days["budi"]
    client = client_for(oscar)
    url = reverse("training:attendance", args=[program.pk])
    page = client.get(url, {"day": "2026-01-06"}).content.decode()
    assert page.count('href="?day=') == 3 and 'aria-current="page"' in page
    assert "Hari 2" in page and 'name="day" value="2026-01-06"' in page
    response = client.post(
        url, {"day": "2026-01-06", "listed": [ani.business_id, budi.business_id], "present": [ani.business_id]}
    )
    assert response.status_code == 302 and response["Location"].endswith("?day=2026-01-06")
    assert selectors.attendance_of_day(program=program, day=date(2026, 1, 6)) == {ani.pk: True, budi.pk: False}
    assert selectors.attendance_of_day(program=program, day=START) == {}
    with django_assert_max_num_queries(9):
        page = client.get(url, {"day": "2026-01-06"}).content.decode()
    assert page.count(" checked") == 1


@pytest.mark.django_db
def test_a_day_outside_the_program_on_the_page_says_so_and_writes_nothing(
    oscar: Any, three_days: dict[str, Any]
) -> None:
    program, ani = three_days["program"], three_days["ani"]
    response = client_for(oscar).post(
        reverse("training:attendance", args=[program.pk]),
        {"day": "2026-01-09", "listed": [ani.business_id], "present": [ani.business_id]},
        follow=True,
    )
    assert "09-01-2026 bukan hari program ini (05-01-2026 sampai 07-01-2026)." in response.content.decode()
    assert not SessionAttendance.objects.exists()


BEFORE = [("training", "0005_attendance_per_session_day")]
AFTER = [("training", "0006_attendance_from_the_single_checkbox")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_single_checkbox_becomes_a_mark_on_every_day_of_the_program(oscar: Any) -> None:
    _migrate(BEFORE)  # 0006 is data only; the programme row is written with the 0005 model (no region yet)
    try:
        program = ProgramFactory.build(responsible_officer=oscar, start_date=START, end_date=END)
        executor = MigrationExecutor(connection)
        old_program = executor.loader.project_state(BEFORE).apps.get_model("training", "Program")
        columns = [field.attname for field in old_program._meta.concrete_fields if field.attname != "id"]
        program.pk = old_program.objects.create(**{name: getattr(program, name) for name in columns}).pk
        present = EnrollmentFactory(program=program, attended=True)
        absent = EnrollmentFactory(program=program, attended=False)
        unknown = EnrollmentFactory(program=program, attended=None)
        _migrate(AFTER)
        rows = SessionAttendance.objects.order_by("enrollment_id", "day").values_list("enrollment_id", "day", "present")
        assert list(rows) == [
            *[(present.pk, day, True) for day in program.session_days],
            *[(absent.pk, day, False) for day in program.session_days],
        ]
        assert not SessionAttendance.objects.filter(enrollment=unknown).exists()
        assert Enrollment.objects.get(pk=present.pk).attended is True
    finally:
        _migrate([("training", MigrationExecutor(connection).loader.graph.leaf_nodes("training")[0][1])])
