from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from fees.models import FeeSchedule, FeeTier
from fees.selectors import invalidate_schedule_cache

from .factories import schedule_with_tiers

QUOTE = "/api/v1/fees/quote/"
SCHEDULES = "/api/v1/fees/schedules/"


def _rows() -> tuple[int, int, int, int]:
    return (
        FeeSchedule.objects.count(),
        FeeTier.objects.count(),
        FeeSchedule.history.count(),
        FeeTier.history.count(),
    )


def _post(client: APIClient, body: Any, **extra: Any) -> Any:
    return client.post(QUOTE, data=json.dumps(body), content_type="application/json", **extra)


def test_anonymous_quote_has_the_contract_shape(db: None, api_client: APIClient) -> None:
    response = _post(
        api_client,
        {"annual_sales": 10_000_000, "operating_expenses": 2_000_000, "schedule": "brin-affordable-2024"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["gross_income"] == 8_000_000
    assert body["basis"] == "gross_income"
    assert body["tier"] == {"code": "MS-B", "label": "Micro-Small B (affordable)"}
    assert body["fee"] == 828_571
    assert body["components"] == {}
    assert body["ratio_percent"] == "10.36"
    assert body["schedule"] == {"slug": "brin-affordable-2024", "version": 1}
    assert body["pathway"] == "regular"
    assert body["affordability"] == "burdensome"
    assert body["explanation"][0].startswith("Gross income = annual sales Rp 10.000.000")


def test_quote_defaults_to_the_official_tariff_with_components(db: None, api_client: APIClient) -> None:
    body = _post(api_client, {"annual_sales": 20_000_000_000, "operating_expenses": 0}).json()
    assert body["schedule"] == {"slug": "bpjph-tariff-2021", "version": 1}
    assert body["tier"]["code"] == "MED"
    assert body["components"] == {"registration": 5_000_000, "examination_cap": 3_000_000}
    assert body["ratio_percent"] == "0.04"


def test_self_declare_quote_is_free(db: None, api_client: APIClient) -> None:
    body = _post(
        api_client, {"annual_sales": 100_000_000, "operating_expenses": 10_000_000, "pathway": "self_declare"}
    ).json()
    assert (body["fee"], body["ratio_percent"], body["pathway"]) == (0, "0.00", "self_declare")
    assert any("UU 6/2023 Pasal 44(2)" in line for line in body["explanation"])


def test_negative_gross_income_gives_a_null_ratio(db: None, api_client: APIClient) -> None:
    body = _post(
        api_client, {"annual_sales": 1_000, "operating_expenses": 2_000, "schedule": "brin-affordable-2024"}
    ).json()
    assert body["gross_income"] == -1_000
    assert body["tier"]["code"] == "MS-A"
    assert body["ratio_percent"] is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"operating_expenses": 0}, "annual_sales", "This field is required."),
        ({"annual_sales": 1}, "operating_expenses", "This field is required."),
        ({"annual_sales": "1000", "operating_expenses": 0}, "annual_sales", "Enter a whole number of rupiah"),
        ({"annual_sales": "abc", "operating_expenses": 0}, "annual_sales", "Enter a whole number of rupiah"),
        ({"annual_sales": 1, "operating_expenses": "1.5"}, "operating_expenses", "Enter a whole number of rupiah"),
        ({"annual_sales": 1.5, "operating_expenses": 0}, "annual_sales", "Enter a whole number of rupiah"),
        ({"annual_sales": 1000.0, "operating_expenses": 0}, "annual_sales", "Enter a whole number of rupiah"),
        ({"annual_sales": True, "operating_expenses": 0}, "annual_sales", "Enter a whole number of rupiah"),
        ({"annual_sales": None, "operating_expenses": 0}, "annual_sales", "This field may not be null."),
        ({"annual_sales": -1, "operating_expenses": 0}, "annual_sales", "Must be at least 0."),
        ({"annual_sales": 0, "operating_expenses": -5}, "operating_expenses", "Must be at least 0."),
        ({"annual_sales": 10**15 + 1, "operating_expenses": 0}, "annual_sales", "Must be at most"),
        ({"annual_sales": 1, "operating_expenses": 10**16}, "operating_expenses", "Must be at most"),
        ({"annual_sales": 1, "operating_expenses": 0, "schedule": "nope"}, "schedule", "Unknown fee schedule “nope”."),
        ({"annual_sales": 1, "operating_expenses": 0, "pathway": "express"}, "pathway", "is not a valid choice."),
        ({"annual_sales": 1, "operating_expenses": 0, "schedule": "Not a slug!"}, "schedule", "Enter a valid"),
        ({"annual_sales": 1, "operating_expenses": 0, "schedule": None}, "schedule", "may not be null."),
        ({"annual_sales": 1, "operating_expenses": 0, "schedule": 7}, "schedule", "Enter a valid"),
    ],
)
def test_bad_quote_input_is_a_400_with_a_field_message_and_writes_nothing(
    db: None, api_client: APIClient, body: dict[str, Any], field: str, message: str
) -> None:
    before = _rows()
    response = _post(api_client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert message in errors[field][0]
    assert response.json()["detail"].startswith(f"{field}: ")
    assert _rows() == before


@pytest.mark.parametrize("body", [[1, 2], "annual_sales", 5])
def test_a_body_that_is_not_an_object_is_refused(db: None, api_client: APIClient, body: Any) -> None:
    before = _rows()
    response = _post(api_client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "Send a JSON object."
    assert _rows() == before


def test_non_json_body_is_refused(db: None, api_client: APIClient) -> None:
    response = api_client.post(QUOTE, {"annual_sales": "1", "operating_expenses": "0"})  # multipart form
    assert response.status_code == 415


def test_quote_messages_are_translated(db: None, api_client: APIClient) -> None:
    response = _post(api_client, {"annual_sales": -1, "operating_expenses": 0}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.json()["errors"]["annual_sales"] == ["Minimal 0."]


def test_quote_is_throttled_per_client(db: None, api_client: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from rest_framework.throttling import ScopedRateThrottle

    from core.access.throttling import FixedWindowRateThrottle

    assert issubclass(FixedWindowRateThrottle, ScopedRateThrottle)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"fee_quote": "2/min"})
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_000.0)  # 100 minutes: a window's start
    body = {"annual_sales": 1, "operating_expenses": 0}
    codes = [_post(api_client, body).status_code for _ in range(3)]
    other_client = _post(api_client, body, REMOTE_ADDR="10.9.9.9").status_code
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_060.0)  # the next minute
    next_window = _post(api_client, body).status_code
    assert codes == [200, 200, 429]
    assert (other_client, next_window) == (200, 200)


def test_quote_costs_no_query_once_the_schedules_are_cached(
    db: None, api_client: APIClient, django_assert_num_queries: Callable[..., Any]
) -> None:
    _post(api_client, {"annual_sales": 1, "operating_expenses": 0})
    with django_assert_num_queries(0):
        response = _post(api_client, {"annual_sales": 2, "operating_expenses": 0})
    assert response.status_code == 200


def test_a_cold_quote_loads_the_schedules_in_two_queries(
    db: None, api_client: APIClient, django_assert_num_queries: Callable[..., Any]
) -> None:
    invalidate_schedule_cache()
    with django_assert_num_queries(2):
        response = _post(api_client, {"annual_sales": 1, "operating_expenses": 0, "schedule": "brin-affordable-2024"})
    assert response.status_code == 200


# --- schedules list --------------------------------------------------------------------------------------------


def test_schedules_list_is_public_and_shows_active_schedules_with_tiers(db: None, api_client: APIClient) -> None:
    schedule_with_tiers([("X", 0, None, 1)], slug="retired", active=False)
    response = api_client.get(SCHEDULES)
    assert response.status_code == 200
    body = response.json()
    assert [s["slug"] for s in body] == ["bpjph-tariff-2021", "brin-affordable-2024"]
    tariff = body[0]
    assert tariff["is_default"] is True
    assert tariff["basis"] == "annual_sales"
    assert tariff["examination_caps"]["vaccines"] == 21_125_000
    assert tariff["tiers"][0] == {
        "code": "UMK",
        "label": "Micro and small",
        "lower": 0,
        "upper": 15_000_000_001,
        "fee": 650_000,
        "components": {"registration": 300_000, "examination_cap": 350_000},
        "renewal_fee": 200_000,
    }
    assert [t["code"] for t in body[1]["tiers"]] == ["MS-A", "MS-B", "M-A", "M-B", "L-A", "L-B"]
    assert body[1]["tiers"][-1]["upper"] is None


def test_schedules_list_query_count_is_fixed(
    db: None, api_client: APIClient, django_assert_num_queries: Callable[..., Any]
) -> None:
    FeeSchedule.objects.exclude(slug="bpjph-tariff-2021").delete()
    with django_assert_num_queries(2):
        one = api_client.get(SCHEDULES)
    assert len(one.json()) == 1
    for n in range(6):
        schedule_with_tiers([(f"A{n}", 0, 10, 1), (f"B{n}", 10, None, 2)], slug=f"extra-{n}")
    with django_assert_num_queries(2):
        many = api_client.get(SCHEDULES)
    assert len(many.json()) == 7


def test_leased_units_never_let_a_throttled_client_past_its_rate(
    db: None, api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 200/min a worker leases units ten at a time (with Redis); exactly 200 of 205 quotes are answered, and
    workers that each hold part of a lease (simulated by forgetting the local leases) never grant more."""
    from rest_framework.throttling import ScopedRateThrottle

    from core.access import throttling

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"fee_quote": "200/min"})
    monkeypatch.setattr(throttling.FixedWindowRateThrottle, "timer", lambda self: 6_030.0)
    body = {"annual_sales": 1, "operating_expenses": 0}
    codes = [_post(api_client, body).status_code for _ in range(205)]
    assert codes == [200] * 200 + [429] * 5
    monkeypatch.setattr(throttling.FixedWindowRateThrottle, "timer", lambda self: 6_090.0)  # the next window
    codes = []
    for attempt in range(230):
        if attempt % 7 == 0:
            throttling.leases.clear()  # another worker takes over: this one's unused units lapse
        codes.append(_post(api_client, body).status_code)
    answered = codes.count(200)
    assert codes[-10:] == [429] * 10
    # Leases of 10, 7 used per worker: 3 lapse each time; never more than the rate (Redis or Django's cache alike).
    assert answered == 140
