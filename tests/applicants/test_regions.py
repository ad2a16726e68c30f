"""All of Indonesia's regions: the shipped data, the migration that loads it, and the look-up API."""

from __future__ import annotations

import importlib
import json

from django.apps import apps

from core.models import User
from applicants.models import Business, Region
from tests.applicants.factories import BusinessFactory

MIGRATION = importlib.import_module("applicants.migrations.0005_regions_of_indonesia")


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
