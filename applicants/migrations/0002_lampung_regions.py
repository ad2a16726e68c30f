"""Seed Lampung (code 18) and its 15 regencies and cities (shared/domain/regions_lampung.json)."""

from django.db import migrations

PROVINCE = ("18", "Lampung")
REGENCIES = [
    ("1801", "Kabupaten Lampung Barat"),
    ("1802", "Kabupaten Tanggamus"),
    ("1803", "Kabupaten Lampung Selatan"),
    ("1804", "Kabupaten Lampung Timur"),
    ("1805", "Kabupaten Lampung Tengah"),
    ("1806", "Kabupaten Lampung Utara"),
    ("1807", "Kabupaten Way Kanan"),
    ("1808", "Kabupaten Tulang Bawang"),
    ("1809", "Kabupaten Pesawaran"),
    ("1810", "Kabupaten Pringsewu"),
    ("1811", "Kabupaten Mesuji"),
    ("1812", "Kabupaten Tulang Bawang Barat"),
    ("1813", "Kabupaten Pesisir Barat"),
    ("1871", "Kota Bandar Lampung"),
    ("1872", "Kota Metro"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("applicants", "Region")
    province, _ = Region.objects.get_or_create(code=PROVINCE[0], defaults={"name": PROVINCE[1], "kind": "province"})
    for code, name in REGENCIES:
        kind = "city" if name.startswith("Kota ") else "regency"
        Region.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "parent": province})


def unseed(apps, schema_editor):
    Region = apps.get_model("applicants", "Region")
    Region.objects.filter(code__in=[code for code, _ in REGENCIES]).delete()
    Region.objects.filter(code=PROVINCE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("applicants", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
