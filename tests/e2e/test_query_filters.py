"""Query filters of the API are validated by django-filter FilterSets: an unknown value answers 400 naming it, and
writes nothing; known values still filter. The application detail's `verification` matches its schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/api/v1/applications/", "state", "bogus"),
        ("/api/v1/applications/", "pathway", "express"),
        ("/api/v1/applications/", "region", "Lampung"),
        ("/api/v1/businesses/", "scale", "huge"),
        ("/api/v1/businesses/", "sector", "weapons"),
        ("/api/v1/businesses/", "region", "abc"),
        ("/api/v1/public/catalogue/", "permit", "maybe"),
        ("/api/v1/public/catalogue/", "category", "spaceship"),
        ("/api/v1/public/catalogue/", "region", "18"),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_it(rina: User, path: str, field: str, value: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(rina)
    response = client.get(path, {field: value})
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [field]
    message = body["errors"][field][0]
    assert value in message, message


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/applications/", {"state": "submitted", "pathway": "self_declare", "region": "18", "overdue": "1"}),
        ("/api/v1/applications/", {"state": "all"}),
        ("/api/v1/businesses/", {"scale": "micro", "sector": "food", "q": "kopi"}),
        ("/api/v1/public/catalogue/", {"permit": "pirt", "region": "1871", "category": "simple_products"}),
    ],
)
def test_known_filter_values_still_answer_200(rina: User, path: str, query: dict[str, str]) -> None:
    client = Client()
    client.force_login(rina)
    assert client.get(path, query).status_code == 200


def test_the_public_catalogue_page_keeps_ignoring_what_it_does_not_know(client: Client) -> None:
    assert client.get("/katalog/", {"permit": "maybe"}).status_code == 200


def test_the_verification_in_the_application_detail_matches_its_schema(alice: User, rina: User, pat: User) -> None:
    from decimal import Decimal

    from certification.verification import services as verification_services
    from tests.certification import factories as f

    f.national_quota(places=5)
    app = f.drive(f.draft(alice, "self_declare"), "pph_verification", f.Cast(owner=alice, reviewer=rina, pph=pat))
    verification_services.verification_save(
        application_id=app.pk, actor=pat, items={}, latitude="-5.42", longitude="105.26", recommendation="Sesuai."
    )
    client = Client()
    client.force_login(rina)
    data: dict[str, Any] = client.get(f"/api/v1/applications/{app.pk}/").json()["verification"]
    schema = Client().get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]["Verification"]
    assert set(data) == set(schema["properties"])
    assert schema["properties"]["latitude"]["type"] == "string" and isinstance(data["latitude"], str)
    assert Decimal(data["latitude"]) == Decimal("-5.420000") and data["recommendation"] == "Sesuai."
