"""The public calendar endpoints: GET /api/v1/calendar/{year}/ and GET /api/v1/calendar/working-days/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from core.access.throttling import FixedWindowRateThrottle
from core.calendar import days as cal
from core.calendar import services
from core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

WORKING_DAYS = "/api/v1/calendar/working-days/"


@pytest.fixture
def api_client() -> APIClient:
    """An anonymous client asking for English (one test checks the Indonesian answer, the default)."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_a_year_lists_its_days_off_in_date_order_with_kind_and_name(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/calendar/2026/")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    assert len(body["days"]) == 25  # 17 national holidays + 8 cuti bersama
    assert body["days"][0] == {"date": "2026-01-01", "kind": "national_holiday", "name": "Tahun Baru Masehi"}
    assert {"date": "2026-03-18", "kind": "cuti_bersama", "name": "Cuti Bersama Hari Suci Nyepi"} in body["days"]
    assert [d["date"] for d in body["days"]] == sorted(d["date"] for d in body["days"])


def test_a_year_shows_an_office_closure_and_hides_a_removed_day(api_client: APIClient, ayu: Any) -> None:
    services.calendar_day_add(day=date(2026, 3, 4), name="Kantor tutup: banjir", actor=ayu)
    wrong = CalendarDay.objects.get(date=date(2026, 3, 18))
    services.calendar_day_remove(day_id=wrong.pk, reason="SKB revised", actor=ayu)
    days = {d["date"]: d for d in api_client.get("/api/v1/calendar/2026/").json()["days"]}
    assert days["2026-03-04"] == {"date": "2026-03-04", "kind": "office_closure", "name": "Kantor tutup: banjir"}
    assert "2026-03-18" not in days


@pytest.mark.parametrize(
    ("query", "due_on"),
    [
        ("start=2026-03-17&days=1", "2026-03-25"),
        ("start=2026-03-02&days=15", "2026-03-30"),
        ("start=2026-03-16&days=10", "2026-04-07"),
        ("start=2026-03-18&days=0", "2026-03-18"),
        ("start=2026-12-30&days=2", "2027-01-04"),
    ],
)
def test_working_days_give_the_due_date(api_client: APIClient, query: str, due_on: str) -> None:
    response = api_client.get(f"{WORKING_DAYS}?{query}")
    assert response.status_code == 200
    start, days = (part.split("=")[1] for part in query.split("&"))
    assert response.json() == {"start": start, "days": int(days), "due_on": due_on}


BAD_INPUT = [
    ("", "start", "Give the start date (start=YYYY-MM-DD)."),
    ("days=1", "start", "Give the start date (start=YYYY-MM-DD)."),
    ("start=2026-03-17", "days", "Give the number of working days (days=N)."),
    ("start=17-03-2026&days=1", "start", "Enter the start date as YYYY-MM-DD, e.g. 2026-03-17."),
    ("start=2026-02-30&days=1", "start", "Enter the start date as YYYY-MM-DD, e.g. 2026-03-17."),
    ("start=tomorrow&days=1", "start", "Enter the start date as YYYY-MM-DD, e.g. 2026-03-17."),
    ("start=2026-03-17&days=-1", "days", "The number of working days must not be negative."),
    ("start=2026-03-17&days=401", "days", "At most 400 working days can be counted at once."),
    ("start=2026-03-17&days=99999999999999999999", "days", "At most 400 working days can be counted at once."),
    ("start=2026-03-17&days=1.5", "days", "Enter the number of working days as a whole number (days=N)."),
    ("start=2026-03-17&days=ten", "days", "Enter the number of working days as a whole number (days=N)."),
    (
        "start=2014-12-31&days=1",
        "start",
        "The office calendar covers the years 2015 to 2050; 2014 is outside them.",
    ),
    (
        "start=2050-12-01&days=400",
        "days",
        "The office calendar covers the years 2015 to 2050; 2051 is outside them.",
    ),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_INPUT)
def test_bad_working_days_input_is_a_400_with_its_message_and_writes_nothing(
    api_client: APIClient, query: str, field: str, message: str
) -> None:
    response = api_client.get(f"{WORKING_DAYS}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"{field}: {message}"
    assert body["errors"][field] == [message]
    assert set(body["errors"]) <= {"start", "days"}
    assert not CalendarYear.objects.exists()  # not even 2050, which the count ran through
    assert not CalendarDay.objects.exists()


def test_bad_input_is_answered_in_the_language_of_the_request(api_client: APIClient) -> None:
    response = APIClient().get(f"{WORKING_DAYS}?start=2026-03-17&days=401")  # no preference: Indonesian
    assert response.status_code == 400
    assert response.json()["errors"] == {"days": ["Paling banyak 400 hari kerja dapat dihitung sekaligus."]}
    english = api_client.get(f"{WORKING_DAYS}?start=2026-03-17&days=401", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"] == {"days": ["At most 400 working days can be counted at once."]}


@pytest.mark.parametrize("year", [2014, 2051, 9999])
def test_a_year_outside_the_calendar_is_a_400_with_its_message_and_writes_nothing(
    api_client: APIClient, year: int
) -> None:
    response = api_client.get(f"/api/v1/calendar/{year}/")
    assert response.status_code == 400
    message = f"The office calendar covers the years 2015 to 2050; {year} is outside them."
    assert response.json() == {"detail": message, "errors": {"year": ["Enter a year from 2015 to 2050."]}}
    assert not CalendarYear.objects.exists()


def test_a_year_that_is_not_a_number_is_the_api_404(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/calendar/next/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_the_calendar_is_public_and_reads_no_session(api_client: APIClient, alice: Any) -> None:
    api_client.force_login(alice)
    assert api_client.get("/api/v1/calendar/2026/").status_code == 200
    assert APIClient().get(f"{WORKING_DAYS}?start=2026-03-17&days=1").status_code == 200


def test_the_calendar_endpoints_are_throttled(
    api_client: APIClient, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "calendar": "2/min"}
    monkeypatch.setattr(FixedWindowRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_000.0)
    codes = [api_client.get("/api/v1/calendar/2026/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize("closures", [0, 1, 20])
def test_a_year_costs_two_queries_cold_and_none_cached_whatever_its_size(
    api_client: APIClient,
    ayu: Any,
    closures: int,
    django_assert_num_queries: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    cal.ensure_year(2026)
    july = [date(2026, 7, 1 + i) for i in range(31)]
    weekdays = [d for d in july if cal.is_working_day(d)]
    for day in weekdays[:closures]:
        services.calendar_day_add(day=day, name="Kantor tutup", actor=ayu)
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2):  # seeded?, the days
        cold = api_client.get("/api/v1/calendar/2026/")
    with django_assert_num_queries(0):
        warm = api_client.get("/api/v1/calendar/2026/")
    assert len(cold.json()["days"]) == 25 + closures
    assert warm.json() == cold.json()


def test_a_due_date_costs_two_queries_per_year_cold_and_none_cached(
    api_client: APIClient,
    django_assert_num_queries: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    cal.ensure_year(2026)
    # Plus the savepoint pair of the view's atomic block, which exists here because the test runs in a transaction
    # (in production the block opens a transaction lazily: no round trip when the year is cached).
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2 + 2):
        api_client.get(f"{WORKING_DAYS}?start=2026-03-17&days=1")
    with django_assert_num_queries(0 + 2):
        response = api_client.get(f"{WORKING_DAYS}?start=2026-03-16&days=10")
    assert response.json()["due_on"] == "2026-04-07"


def test_a_cached_year_is_dropped_when_a_day_changes(
    api_client: APIClient, ayu: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.get(f"{WORKING_DAYS}?start=2026-03-02&days=3").json()["due_on"] == "2026-03-05"
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_add(day=date(2026, 3, 4), name="Kantor tutup", actor=ayu)
    assert api_client.get(f"{WORKING_DAYS}?start=2026-03-02&days=3").json()["due_on"] == "2026-03-06"


def test_the_schema_documents_both_endpoints_and_their_400(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/?format=json").json()
    year = schema["paths"]["/api/v1/calendar/{year}/"]["get"]
    days = schema["paths"]["/api/v1/calendar/working-days/"]["get"]
    assert {"200", "400", "429"} <= set(year["responses"]) and {"200", "400", "429"} <= set(days["responses"])
    assert {p["name"] for p in days["parameters"]} == {"start", "days"}
    assert year["security"] == [{}] or "security" not in year or {} in year["security"]
