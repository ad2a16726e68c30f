"""Bad training input that overflowed or was accepted (issue 21): capacities beyond the database's range, dates of
year 1 or 9999 (whose follow-up due date overflows), titles of invisible characters. Refused, nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.errors import DomainError
from tests.training.factories import BusinessFactory, EnrollmentFactory, ProgramFactory
from training import services
from training.models import FollowUp, Program

pytestmark = pytest.mark.django_db
LIST = "/api/v1/trainings/"


def payload(officer: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Kesiapan Ekspor",
        "topic": "export_readiness",
        "organiser": "Dinas Perindustrian",
        "start_date": "2026-05-04",
        "end_date": "2026-05-06",
        "venue": "Bandar Lampung",
        "capacity": 2,
        "responsible_officer": officer.pk,
    }
    return {**data, **overrides}


def english(api_as: Any, user: Any) -> Any:
    client = api_as(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"capacity": 2**40}, "capacity", "Ensure this value is less than or equal to 10000000."),
        (
            {"follow_up_window_days": 40_000},
            "follow_up_window_days",
            "Ensure this value is less than or equal to 3650.",
        ),
        ({"start_date": "0001-01-01"}, "start_date", "The date cannot be before 1900-01-01."),
        ({"end_date": "9999-12-31"}, "end_date", "The date cannot be after 2100-12-31."),
        ({"title": "\u200b\u3164"}, "title", "Enter a name with visible letters or digits."),
    ],
)
def test_a_program_with_out_of_range_values_is_refused(
    api_as: Any, oscar: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = english(api_as, oscar).post(LIST, payload(oscar, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][field] == [message]
    assert not Program.objects.exists()


def test_the_service_refuses_a_program_ending_in_year_9999_instead_of_overflowing(oscar: Any) -> None:
    with pytest.raises(DomainError, match="Tanggal tidak boleh setelah 2100-12-31"):
        services.program_create(
            actor=oscar,
            title="Ekspor",
            topic="export_readiness",
            organiser="Dinas",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(9999, 12, 31),
            venue="Metro",
            capacity=5,
            responsible_officer=oscar,
        )
    assert not Program.objects.exists()


def test_the_service_refuses_a_capacity_beyond_the_limit_on_update(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar, capacity=5)
    with pytest.raises(DomainError, match="Kapasitas paling banyak 10,000,000"):
        services.program_update(program=program, actor=oscar, capacity=2**40)
    program.refresh_from_db()
    assert program.capacity == 5


def test_a_follow_up_planned_in_year_1_is_refused_and_nothing_written(api_as: Any, oscar: Any, alice: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    enrollment = EnrollmentFactory(program=program, business=BusinessFactory(owner=alice))
    response = english(api_as, oscar).post(
        f"{LIST}{program.pk}/follow-ups/",
        {
            "enrollment": enrollment.pk,
            "kind": "evaluation",
            "planned_on": "0001-01-01",
            "responsible_officer": oscar.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].endswith("The date cannot be before 1900-01-01.")
    assert not FollowUp.objects.exists()
