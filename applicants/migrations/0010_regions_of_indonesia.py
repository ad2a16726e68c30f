"""All of Indonesia: 38 provinces and 514 regencies/cities with Kemendagri codes (applicants/data/regions_indonesia.json).

Lampung's rows were seeded with BPS codes, which differ from Kemendagri's for seven regencies (BPS 1801 is Lampung
Barat, Kemendagri 18.01 is Lampung Selatan). Existing rows are matched by province and name, so they keep their ids
(businesses, quotas, counters and reports that point at them stay right) and take the Kemendagri code.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "regions_indonesia.json"

# Lampung as 0002 seeded it (BPS codes), for the way back.
BPS_LAMPUNG = {
    "Kabupaten Lampung Barat": "1801",
    "Kabupaten Tanggamus": "1802",
    "Kabupaten Lampung Selatan": "1803",
    "Kabupaten Lampung Timur": "1804",
    "Kabupaten Lampung Tengah": "1805",
    "Kabupaten Lampung Utara": "1806",
    "Kabupaten Way Kanan": "1807",
    "Kabupaten Tulang Bawang": "1808",
}


def _recode(Region, wanted: dict[int, str]) -> None:
    """Give rows (by id) new codes without tripping the unique index: first a placeholder, then the code."""
    for n, pk in enumerate(wanted):
        Region.objects.filter(pk=pk).update(code=f"~{n:03d}")
    for pk, code in wanted.items():
        Region.objects.filter(pk=pk).update(code=code)


def load(apps, schema_editor):
    Region = apps.get_model("applicants", "Region")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for prov in data["provinces"]:
        province = Region.objects.filter(code=prov["code"]).first()
        if province is None:
            province = Region.objects.create(code=prov["code"], name=prov["name"], kind="province")
        elif province.name != prov["name"] or province.kind != "province":
            Region.objects.filter(pk=province.pk).update(name=prov["name"], kind="province")
        existing = {r.name: r for r in Region.objects.filter(code__startswith=prov["code"]).exclude(pk=province.pk)}
        wanted = {
            existing[reg["name"]].pk: reg["code"]
            for reg in prov["regencies"]
            if reg["name"] in existing and existing[reg["name"]].code != reg["code"]
        }
        _recode(Region, wanted)
        by_code = {r.code: r for r in Region.objects.filter(code__startswith=prov["code"]).exclude(pk=province.pk)}
        missing = []
        for reg in prov["regencies"]:
            row = by_code.get(reg["code"])
            if row is None:
                missing.append(Region(code=reg["code"], name=reg["name"], kind=reg["kind"], parent=province))
            elif (row.name, row.kind, row.parent_id) != (reg["name"], reg["kind"], province.pk):
                Region.objects.filter(pk=row.pk).update(name=reg["name"], kind=reg["kind"], parent=province)
        Region.objects.bulk_create(missing)


def unload(apps, schema_editor):
    Region = apps.get_model("applicants", "Region")
    Business = apps.get_model("applicants", "Business")
    used = set(Business.objects.values_list("region_id", flat=True))
    regencies = Region.objects.exclude(code__startswith="18").exclude(kind="province").exclude(pk__in=used)
    for row in regencies:
        try:
            row.delete()
        except Exception:  # noqa: BLE001 - a row something else still points at stays
            pass
    for row in Region.objects.filter(kind="province").exclude(code="18"):
        if not Region.objects.filter(parent=row).exists():
            try:
                row.delete()
            except Exception:  # noqa: BLE001
                pass
    lampung = {r.name: r.pk for r in Region.objects.filter(code__startswith="18", kind__in=["regency", "city"])}
    _recode(Region, {lampung[name]: code for name, code in BPS_LAMPUNG.items() if name in lampung})


class Migration(migrations.Migration):
    dependencies = [("applicants", "0009_merge_dossier_and_market")]

    operations = [migrations.RunPython(load, unload)]
