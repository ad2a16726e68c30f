"""The quote API's renewal and categories options, and the self-declare refusal, in the one error shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from fees.models import FeeSchedule, FeeTier

QUOTE = "/api/v1/fees/quote/"
MEDIUM = {"annual_sales": 20_000_000_000, "operating_expenses": 0}


def _rows() -> tuple[int, int, int, int]:
    return (
        FeeSchedule.objects.count(),
        FeeTier.objects.count(),
        FeeSchedule.history.count(),
        FeeTier.history.count(),
    )


def _post(client: APIClient, body: Any, **extra: Any) -> Any:
    return client.post(QUOTE, data=json.dumps(body), content_type="application/json", **extra)


def test_a_renewal_with_categories_keeps_the_contract_fields_and_gains_component_keys(
    db: None, api_client: APIClient
) -> None:
    response = _post(
        api_client,
        {**MEDIUM, "renewal": True, "categories": ["simple_products", "vaccines"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "annual_sales",
        "operating_expenses",
        "gross_income",
        "basis",
        "basis_value",
        "tier",
        "fee",
        "components",
        "ratio_percent",
        "affordability",
        "schedule",
        "pathway",
        "explanation",
    }
    assert body["components"] == {"renewal": 2_400_000, "examination_cap": 21_125_000}
    assert body["fee"] == 23_525_000
    assert body["tier"]["code"] == "MED"
    assert any(line.startswith("Renewal of a certificate (tier MED)") for line in body["explanation"])


def test_without_the_new_options_the_quote_is_what_it_was(db: None, api_client: APIClient) -> None:
    body = _post(api_client, MEDIUM).json()
    assert body["components"] == {"registration": 5_000_000, "examination_cap": 3_000_000}
    assert body["fee"] == 8_000_000


def test_the_self_declare_refusal_is_a_400_with_the_reason_and_writes_nothing(db: None, api_client: APIClient) -> None:
    before = _rows()
    response = _post(
        api_client,
        {"annual_sales": 40_000_000_000, "operating_expenses": 0, "pathway": "self_declare"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Self-declare (free certification) is only for micro and small businesses")
    assert "Rp 40.000.000.000" in body["detail"]
    assert body["errors"] == {"pathway": [body["detail"]]}
    assert _rows() == before


def test_the_self_declare_refusal_is_in_indonesian_for_indonesian_clients(db: None, api_client: APIClient) -> None:
    response = _post(
        api_client,
        {"annual_sales": 40_000_000_000, "operating_expenses": 0, "pathway": "self_declare"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Self-declare (sertifikasi gratis) hanya untuk usaha mikro dan kecil")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"renewal": "true"}, "renewal", "Must be true or false (a JSON boolean)."),
        ({"renewal": 1}, "renewal", "Must be true or false (a JSON boolean)."),
        ({"renewal": None}, "renewal", "This field may not be null."),
        ({"categories": "vaccines"}, "categories", "Give the product categories as a list of category codes."),
        ({"categories": [7]}, "categories", "Give the product categories as a list of category codes."),
        ({"categories": {"vaccines": True}}, "categories", "Give the product categories as a list of category codes."),
        ({"categories": None}, "categories", "This field may not be null."),
        ({"categories": ["vaccines", "frozen_food"]}, "categories", "Unknown product category “frozen_food”."),
        ({"categories": ["simple_products"] * 21}, "categories", "Give at most 20 product categories."),
    ],
)
def test_bad_renewal_or_categories_are_a_400_naming_the_field_and_write_nothing(
    db: None, api_client: APIClient, extra: dict[str, Any], field: str, message: str
) -> None:
    before = _rows()
    response = _post(api_client, {**MEDIUM, **extra}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][field] == [message]
    assert body["detail"] == f"{field}: {message}"
    assert _rows() == before


def test_every_unknown_category_is_named(db: None, api_client: APIClient) -> None:
    response = _post(api_client, {**MEDIUM, "categories": ["nope", "vaccines", "zilch"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["categories"] == [
        "Unknown product category “nope”.",
        "Unknown product category “zilch”.",
    ]


def test_an_unknown_category_message_is_in_indonesian(db: None, api_client: APIClient) -> None:
    response = _post(api_client, {**MEDIUM, "categories": ["nope"]}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.json()["errors"]["categories"] == ["Kategori produk “nope” tidak dikenal."]


def test_twenty_categories_are_accepted(db: None, api_client: APIClient) -> None:
    response = _post(api_client, {**MEDIUM, "categories": ["simple_products"] * 19 + ["gelatin"]})
    assert response.status_code == 200
    assert response.json()["components"]["examination_cap"] == 7_912_000


def test_a_quote_with_options_still_costs_no_query_once_cached(
    db: None, api_client: APIClient, django_assert_num_queries: Callable[..., Any]
) -> None:
    _post(api_client, MEDIUM)
    with django_assert_num_queries(0):
        response = _post(api_client, {**MEDIUM, "renewal": True, "categories": ["vaccines", "gelatin"]})
    assert response.status_code == 200


def test_the_schema_documents_the_new_options(db: None, api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schemas = schema["components"]["schemas"]
    request = schemas["QuoteRequestRequest"]["properties"]
    assert request["renewal"]["type"] == "boolean"
    assert request["categories"]["type"] == "array"
    assert request["categories"]["maxItems"] == 20
    enum = schemas[request["categories"]["items"]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert "vaccines" in enum and len(enum) == 11
