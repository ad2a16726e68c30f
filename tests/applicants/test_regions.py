"""All of Indonesia's regions: the shipped data, the migration that loads it, and the look-up API."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from applicants.forms import BusinessForm
from applicants.models import Business, Region
from certification.filters import QueueFilterForm
from core.models import User
from tests.applicants.factories import BusinessFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("applicants.migrations.0010_regions_of_indonesia")


def _data() -> dict:
    return json.loads(MIGRATION.DATA.read_text(encoding="utf-8"))


def test_the_data_names_its_source_and_holds_38_provinces_and_514_regencies_and_cities() -> None:
    data = _data()
    assert "cahyadsn/wilayah" in data["_source"] and data["_date"]
    assert len(data["provinces"]) == 38
    regencies = [r for p in data["provinces"] for r in p["regencies"]]
    assert len(regencies) == 514
    assert {r["kind"] for r in regencies} == {"regency", "city"}
    assert all(r["code"][:2] == p["code"] and len(r["code"]) == 4 for p in data["provinces"] for r in p["regencies"])


def test_the_migration_loaded_every_region_with_its_kemendagri_code(db: None) -> None:
    assert Region.objects.filter(kind="province").count() == 38
    assert Region.objects.filter(kind__in=["regency", "city"]).count() == 514
    bandung = Region.objects.get(code="3273")
    assert (bandung.name, bandung.kind, bandung.parent.code) == ("Kota Bandung", "city", "32")
    # Kemendagri 18.01 is Lampung Selatan (BPS numbered it 1803).
    assert Region.objects.get(code="1801").name == "Kabupaten Lampung Selatan"


def test_lampung_rows_seeded_with_bps_codes_keep_their_ids_and_businesses(alice: User) -> None:
    selatan = Region.objects.get(name="Kabupaten Lampung Selatan")
    barat = Region.objects.get(name="Kabupaten Lampung Barat")
    business = BusinessFactory(region=selatan, owner=alice)
    MIGRATION.unload(apps, None)  # back to 0002's BPS codes
    assert Region.objects.get(pk=selatan.pk).code == "1803" and Region.objects.get(pk=barat.pk).code == "1801"
    assert Region.objects.filter(code="3273").count() == 0
    MIGRATION.load(apps, None)
    MIGRATION.load(apps, None)  # twice: nothing changes the second time
    assert Region.objects.get(pk=selatan.pk).code == "1801" and Region.objects.get(pk=barat.pk).code == "1804"
    assert Business.objects.get(pk=business.pk).region.name == "Kabupaten Lampung Selatan"
    assert Region.objects.count() == 38 + 514


def test_the_api_finds_kota_bandung_by_name_province_and_code(
    api_client: APIClient, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        body = api_client.get("/api/v1/regions/", {"q": "bandung", "province": "32", "code": "3273"}).json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": Region.objects.get(code="3273").pk,
            "code": "3273",
            "name": "Kota Bandung",
            "kind": "city",
            "province": {"code": "32", "name": "Jawa Barat"},
        }
    ]
    names = {r["name"] for r in api_client.get("/api/v1/regions/", {"q": "bandung"}).json()["results"]}
    assert names == {"Kabupaten Bandung", "Kabupaten Bandung Barat", "Kota Bandung"}
    provinces = api_client.get("/api/v1/regions/", {"kind": "province"}).json()
    assert provinces["count"] == 38 and provinces["results"][0]["province"] == {"code": "11", "name": "Aceh"}


def test_the_api_pages_every_region_with_a_fixed_number_of_queries(
    api_client: APIClient, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        body = api_client.get("/api/v1/regions/").json()
    assert body["count"] == 552 and len(body["results"]) == 50 and body["next"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"province": "Jawa"}, "province", "2 digit"),
        ({"code": "32.73"}, "code", "2 or 4 digits"),
        ({"kind": "village"}, "kind", "province, regency, city"),
    ],
)
def test_bad_filters_answer_400_with_a_message(api_client: APIClient, params: dict, field: str, message: str) -> None:
    before = Region.objects.count()
    response = api_client.get("/api/v1/regions/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in str(response.json())
    assert Region.objects.count() == before


def test_the_schema_documents_the_region_look_up(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/regions/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "province", "code", "kind"}
    assert "province" in str(schema["components"]["schemas"]["Region"])


def test_the_business_form_groups_regencies_by_province(alice: User) -> None:
    form = BusinessForm()
    html = str(form["region"])
    assert '<optgroup label="Jawa Barat">' in html and '<optgroup label="Lampung">' in html
    assert html.count("<option") == 514 + 1  # regencies and cities, no province, plus the empty choice
    assert Region.objects.get(code="3273").pk in [v for _, group in form.fields["region"].choices[1:] for v, _ in group]


def test_the_queue_filter_offers_whole_provinces_and_regencies_by_code(db: None) -> None:
    form = QueueFilterForm({"region": "1801"})
    assert form.is_valid() and form.cleaned_data["region"] == "1801"
    form = QueueFilterForm({"region": "32"})
    assert form.is_valid() and form.cleaned_data["region"] == "32"
    html = str(QueueFilterForm()["region"])
    assert '<option value="1801">Kabupaten Lampung Selatan</option>' in html
    assert '<option value="32">' in html
    bad = QueueFilterForm({"region": "Lampung Selatan"})
    assert not bad.is_valid() and "region" in bad.errors
