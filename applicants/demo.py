"""Demo registry: ~40 Lampung businesses across the 15 regencies and cities, 2023-2025 figures, products.

Idempotent: keyed by NIB (an existing business is left as it is). owner1 runs a small snack business that fits
Sehati (self-declare); owner2 a bigger coffee roaster. The other businesses belong to demo owners umkmNN@demo.test
(password as the other demo users).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from applicants.dossier.services import facility_add, person_save
from applicants.models import Business, Person, PositiveListEntry, Region
from applicants.scale import RANK, Scale, scale_by_sales
from applicants.selectors import latest_figures
from applicants.services import business_create, figures_create, product_create
from core.access import roles
from core.demo import demo_password_hash

CODES = ["1801", "1802", "1803", "1804", "1805", "1806", "1807", "1808", "1809", "1810", "1811", "1812", "1813",
         "1871", "1872"]  # fmt: skip

# A business named after a town sits in that town's regency or city (Liwa is in Lampung Barat, Way Halim in
# Bandar Lampung); the others are spread over the regencies in turn. First match wins, so longer names come first.
TOWN_REGIONS: list[tuple[str, str]] = [  # Kemendagri codes (applicants/data/regions_indonesia.json)
    ("Way Halim", "1871"), ("Teluk Betung", "1871"), ("Kedaton", "1871"), ("Rajabasa", "1871"),
    ("Tugu Adipura", "1871"), ("Way Kandis", "1871"), ("Sukarame", "1871"), ("Kemiling", "1871"),
    ("Liwa", "1804"), ("Sekincau", "1804"), ("Way Tenong", "1804"),
    ("Tanggamus", "1806"), ("Ulubelu", "1806"),
    ("Kalianda", "1801"),
    ("Labuhan Maringgai", "1807"), ("Lamtim", "1807"),
    ("Bandar Jaya", "1802"),
    ("Kotabumi", "1803"),
    ("Way Kanan", "1808"), ("Banjit", "1808"),
    ("Kuala Teladas", "1805"), ("Tulang Bawang", "1805"),
    ("Pesawaran", "1809"), ("Kedondong", "1809"),
    ("Pringsewu", "1810"), ("Gadingrejo", "1810"),
    ("Mesuji", "1811"),
    ("Tubaba", "1812"),
    ("Pesisir", "1813"), ("Krui", "1813"),
    ("Metro", "1872"), ("Yosodadi", "1872"),
]  # fmt: skip


def region_code_for(name: str, index: int) -> str:
    """The regency or city of the town in a demo business's name; round robin over CODES when it names none."""
    for town, code in TOWN_REGIONS:
        if town.lower() in name.lower():
            return code
    return CODES[index % len(CODES)]


# name, sector, kbli, product, ingredients, base sales 2023 (Rp), growth per year (%), base workforce, workforce +/yr
SPECS: list[tuple[str, str, str, str, list[str], int, int, int, int]] = [
    (
        "Keripik Pisang Bu Siti",
        "snacks",
        "10794",
        "Keripik pisang cokelat",
        ["Pisang kepok", "Minyak goreng", "Cokelat bubuk", "Gula pasir"],
        180_000_000,
        10,
        3,
        0,
    ),
    (
        "Kopi Robusta Tanggamus Jaya",
        "coffee",
        "10761",
        "Kopi robusta bubuk",
        ["Biji kopi robusta", "Kemasan aluminium foil"],
        1_700_000_000,
        30,
        12,
        4,
    ),
    ("Tempe Murni Way Halim", "food", "10792", "Tempe kedelai", ["Kedelai", "Ragi tempe", "Air"], 240_000_000, 5, 4, 1),
    (
        "Sambal Lampung Mak Inah",
        "spices",
        "10771",
        "Sambal seruit",
        ["Cabai rawit", "Terasi", "Tomat", "Garam"],
        320_000_000,
        15,
        3,
        1,
    ),
    (
        "Kemplang Panggang Pesisir",
        "snacks",
        "10794",
        "Kemplang ikan tenggiri",
        ["Ikan tenggiri", "Tepung tapioka", "Garam", "Bawang putih"],
        900_000_000,
        60,
        6,
        2,
    ),
    (
        "Lapis Legit Ratu Metro",
        "bakery",
        "10710",
        "Lapis legit",
        ["Telur ayam", "Mentega", "Tepung terigu", "Gula pasir"],
        450_000_000,
        8,
        5,
        0,
    ),
    (
        "Kopi Luwak Liwa Asri",
        "coffee",
        "10761",
        "Kopi luwak bubuk",
        ["Biji kopi luwak", "Kemasan kertas"],
        2_600_000_000,
        12,
        18,
        2,
    ),
    (
        "Keripik Singkong Tubaba",
        "snacks",
        "10794",
        "Keripik singkong balado",
        ["Singkong", "Minyak goreng", "Cabai bubuk", "Garam"],
        150_000_000,
        20,
        2,
        1,
    ),
    (
        "Dodol Durian Way Kanan",
        "snacks",
        "10739",
        "Dodol durian",
        ["Durian", "Tepung ketan", "Gula merah", "Santan"],
        210_000_000,
        4,
        3,
        0,
    ),
    (
        "Abon Ikan Teluk Betung",
        "food",
        "10219",
        "Abon ikan tuna",
        ["Ikan tuna", "Bawang merah", "Gula", "Minyak goreng"],
        600_000_000,
        25,
        5,
        0,
    ),
    (
        "Bakso Sapi Pak Kumis",
        "frozen",
        "10130",
        "Bakso sapi beku",
        ["Daging sapi", "Tepung tapioka", "Bawang putih", "Garam"],
        1_200_000_000,
        40,
        9,
        3,
    ),
    ("Madu Hutan Pesawaran", "food", "10799", "Madu hutan murni", ["Madu hutan", "Botol kaca"], 130_000_000, 6, 2, 0),
    ("Gula Aren Pringsewu", "food", "10721", "Gula aren cetak", ["Nira aren", "Kapur sirih"], 95_000_000, 3, 2, 0),
    (
        "Tahu Sumedang Bandar Jaya",
        "food",
        "10792",
        "Tahu goreng",
        ["Kedelai", "Garam", "Minyak goreng", "Air"],
        380_000_000,
        12,
        4,
        1,
    ),
    (
        "Kerupuk Udang Mesuji",
        "snacks",
        "10794",
        "Kerupuk udang",
        ["Udang", "Tepung tapioka", "Telur", "Garam"],
        520_000_000,
        18,
        7,
        1,
    ),
    (
        "Roti Manis Kedaton",
        "bakery",
        "10710",
        "Roti sobek",
        ["Tepung terigu", "Ragi", "Susu bubuk", "Mentega"],
        700_000_000,
        10,
        8,
        0,
    ),
    (
        "Jamu Kunyit Asam Bu Darmi",
        "beverages",
        "11040",
        "Jamu kunyit asam",
        ["Kunyit", "Asam jawa", "Gula merah", "Air"],
        60_000_000,
        5,
        1,
        0,
    ),
    (
        "Kopi Bubuk Sekincau",
        "coffee",
        "10761",
        "Kopi bubuk sachet",
        ["Biji kopi robusta", "Gula pasir"],
        1_900_000_000,
        15,
        15,
        3,
    ),
    ("Emping Melinjo Kalianda", "snacks", "10794", "Emping melinjo", ["Melinjo", "Garam"], 170_000_000, 2, 3, 0),
    (
        "Catering Berkah Rajabasa",
        "catering",
        "56210",
        "Nasi kotak",
        ["Beras", "Ayam potong", "Sayur", "Minyak goreng"],
        850_000_000,
        20,
        10,
        2,
    ),
    (
        "Es Kopi Susu Tugu Adipura",
        "beverages",
        "11040",
        "Es kopi susu literan",
        ["Kopi robusta", "Susu UHT", "Gula aren"],
        410_000_000,
        35,
        4,
        2,
    ),
    (
        "Pempek Palembang Way Kandis",
        "frozen",
        "10213",
        "Pempek kapal selam beku",
        ["Ikan tenggiri", "Tepung sagu", "Telur", "Cuka"],
        560_000_000,
        10,
        6,
        0,
    ),
    (
        "Kue Bangket Ibu Nur",
        "bakery",
        "10710",
        "Kue bangket kelapa",
        ["Tepung sagu", "Kelapa", "Gula pasir", "Telur"],
        75_000_000,
        8,
        2,
        0,
    ),
    (
        "Bumbu Rendang Sumber Rasa Kotabumi",
        "spices",
        "10771",
        "Bumbu rendang instan",
        ["Cabai merah", "Serai", "Lengkuas", "Santan bubuk"],
        290_000_000,
        14,
        3,
        0,
    ),
    (
        "Sari Buah Nanas Lamtim",
        "beverages",
        "11040",
        "Sari buah nanas",
        ["Nanas", "Gula pasir", "Air"],
        2_100_000_000,
        8,
        22,
        1,
    ),
    (
        "Keripik Tempe Sukarame",
        "snacks",
        "10794",
        "Keripik tempe",
        ["Tempe", "Tepung beras", "Daun jeruk", "Minyak goreng"],
        120_000_000,
        10,
        2,
        1,
    ),
    ("Ikan Asin Kuala Teladas", "food", "10219", "Ikan asin teri", ["Ikan teri", "Garam"], 330_000_000, -5, 5, 0),
    ("Kopi Lanang Ulubelu", "coffee", "10761", "Kopi lanang roasted", ["Biji kopi lanang"], 260_000_000, 25, 3, 1),
    (
        "Rengginang Mbok Yem",
        "snacks",
        "10794",
        "Rengginang terasi",
        ["Beras ketan", "Terasi", "Garam"],
        55_000_000,
        5,
        1,
        0,
    ),
    (
        "Cokelat Pesawaran Kakao",
        "food",
        "10732",
        "Cokelat batang",
        ["Biji kakao", "Gula pasir", "Susu bubuk"],
        1_500_000_000,
        45,
        11,
        3,
    ),
    ("Lempok Durian Krui", "snacks", "10739", "Lempok durian", ["Durian", "Gula pasir"], 140_000_000, 6, 2, 0),
    (
        "Mie Ayam Bangka Kemiling",
        "catering",
        "56102",
        "Mie ayam",
        ["Mie telur", "Ayam potong", "Sawi", "Kecap"],
        230_000_000,
        9,
        3,
        0,
    ),
    (
        "Siomay Ikan Tulang Bawang",
        "frozen",
        "10213",
        "Siomay ikan beku",
        ["Ikan tenggiri", "Tepung tapioka", "Kulit pangsit"],
        190_000_000,
        30,
        4,
        1,
    ),
    (
        "Tapis Snack Mandiri",
        "snacks",
        "10794",
        "Keripik pisang kepok",
        ["Pisang kepok", "Minyak goreng", "Garam"],
        14_500_000_000,
        10,
        60,
        15,
    ),
    ("Minyak Kelapa Kedondong", "food", "10421", "Minyak kelapa murni", ["Kelapa"], 480_000_000, 7, 4, 0),
    (
        "Opak Singkong Banjit",
        "snacks",
        "10794",
        "Opak singkong",
        ["Singkong", "Garam", "Bawang putih"],
        85_000_000,
        4,
        2,
        0,
    ),
    (
        "Kacang Sangrai Gadingrejo",
        "snacks",
        "10794",
        "Kacang tanah sangrai",
        ["Kacang tanah", "Garam"],
        310_000_000,
        12,
        4,
        0,
    ),
    (
        "Susu Kedelai Segar Yosodadi",
        "beverages",
        "11040",
        "Susu kedelai",
        ["Kedelai", "Gula pasir", "Air"],
        70_000_000,
        20,
        2,
        0,
    ),
    (
        "Terasi Udang Labuhan Maringgai",
        "spices",
        "10771",
        "Terasi udang rebon",
        ["Udang rebon", "Garam"],
        440_000_000,
        10,
        5,
        0,
    ),
    (
        "Kopi Robusta Way Tenong",
        "coffee",
        "10761",
        "Kopi robusta green bean",
        ["Biji kopi robusta"],
        47_000_000_000,
        8,
        95,
        6,
    ),
]
OWNERS = {0: "owner1@demo.test", 1: "owner2@demo.test"}
YEARS = (2023, 2024, 2025)


# The positive-list entry (KMA 1360/2021, seeded by migration) the demo's exempt materials are matched to, as an owner
# would pick them from the search.
POSITIVE_ENTRIES = {
    "Air": "air",
    "Garam": "garam (hasil tambang/pemurnian)",
    "Kelapa": "kelapa",
    "Singkong": "umbi-umbian segar",
    "Pisang kepok": "buah segar",
    "Cabai": "sayur segar",
}


def positive_entry(ingredient: str) -> PositiveListEntry | None:
    name = POSITIVE_ENTRIES.get(ingredient)
    return PositiveListEntry.objects.filter(name=name, active=True).first() if name else None


def _demo_owner(email: str) -> Any:
    from core.models import User

    user, created = User.objects.get_or_create(email=email, defaults={"full_name": email.split("@")[0].upper()})
    if created:
        user.password = demo_password_hash()
        user.save()
    user.groups.add(Group.objects.get(name=roles.OWNER))
    return user


def load(*, users: dict[str, Any]) -> str:
    regions = {region.code: region for region in Region.objects.filter(code__in=CODES)}
    created = 0
    for index, (name, sector, kbli, product, ingredients, sales, growth, workforce, per_year) in enumerate(SPECS):
        nib = f"8120{index + 1:09d}"
        if Business.objects.filter(nib=nib).exists():
            continue
        email = OWNERS.get(index) or f"umkm{index - 1:02d}@demo.test"
        owner = users.get(email) or _demo_owner(email)
        region = regions[region_code_for(name, index)]
        business = business_create(
            actor=owner,
            fields={
                "name": name,
                "nib": nib,
                "legal_form": Business.LegalForm.CV if sales > 1_000_000_000 else Business.LegalForm.INDIVIDUAL,
                "address": f"Jl. Raya {region.name.replace('Kabupaten ', '').replace('Kota ', '')} No. {index + 3}",
                "region": region,
                "kbli": kbli,
                "sector": sector,
                "production_started": dt.date(2012 + index % 10, 1 + index % 12, 1),
                "workforce": workforce + per_year * 2,
                "phone": f"0812{index + 1:08d}",
                "halal_supervisor": owner.full_name,
                "separate_halal_facility": True,
            },
        )
        for step, year in enumerate(YEARS[index % 2 and 1 :] if index > 1 else YEARS):
            year_sales = sales * (100 + growth) ** step // 100**step
            figures_create(
                actor=owner,
                business=business,
                year=year,
                annual_sales=year_sales,
                operating_expenses=year_sales * (70 + index % 35) // 100,
                capital=year_sales // 3,
                workforce=workforce + per_year * step,
            )
        if index != 0:  # UU 33/2014 Ps 24: each names its halal supervisor; a micro or small one's owner acts
            latest = latest_figures(business)
            owner_acts = latest is None or RANK[scale_by_sales(latest.annual_sales)] < RANK[Scale.MEDIUM]
            person_save(
                actor=owner,
                business=business,
                role=Person.Role.SUPERVISOR,
                fields={
                    "owner_acts": owner_acts,
                    "name": "" if owner_acts else "Rahmat Hidayat",
                    "position": "" if owner_acts else "Penyelia halal",
                    "nik": f"187101{index % 28 + 1:02d}0685{index + 1:04d}",
                    "religion": "islam",
                },
            )
        if index == 0:
            _owner1_dossier(owner=owner, business=business, region=region, product=product)
            created += 1
            continue
        product_create(
            actor=owner,
            business=business,
            fields={
                "name": product,
                "category": "simple_products" if index % 3 else "processed_food_chemical_microbial",
            },
            ingredients=[
                {
                    "name": item,
                    "positive_list_entry": positive_entry(item),
                    "halal_certificate_number": "" if positive_entry(item) else f"ID1811{index * 100 + n:09d}0125",
                    "certificate_issuer": "" if positive_entry(item) else "bpjph",
                }
                for n, item in enumerate(ingredients)
            ],  # fmt: skip
        )
        created += 1
    return f"{created} businesses created ({Business.objects.count()} in the registry)"


def _owner1_dossier(*, owner: Any, business: Business, region: Region, product: str) -> None:
    """owner1's complete dossier: people, a kitchen and an outlet, one product with its seven process steps and
    ingredients, one of them doubtful (cocoa powder without a halal certificate) so the warning shows."""
    valid = timezone.localdate() + dt.timedelta(days=700)
    person_save(
        actor=owner,
        business=business,
        role=Person.Role.RESPONSIBLE,
        fields={"name": owner.full_name, "position": "Pemilik", "phone": "081200000001"},
    )
    person_save(
        actor=owner,
        business=business,
        role=Person.Role.SUPERVISOR,
        fields={"name": "Siti Rahmawati", "position": "Penyelia halal", "nik": "1871014506850002", "religion": "islam"},
    )
    street = f"Jl. Raya {region.name.replace('Kabupaten ', '').replace('Kota ', '')}"
    facility_add(
        actor=owner,
        business=business,
        fields={"kind": "production", "name": "Dapur produksi", "address": f"{street} No. 3", "region": region},
    )
    facility_add(
        actor=owner,
        business=business,
        fields={"kind": "outlet", "name": "Kios oleh-oleh", "address": f"{street} No. 5", "region": region},
    )
    ingredients = [
        {"name": "Pisang kepok", "kind": "raw", "positive_list_entry": positive_entry("Pisang kepok"),
         "supplier": "Petani Way Kanan"},
        {"name": "Minyak goreng", "kind": "raw", "producer": "PT Sawit Lampung", "brand": "Sawitku",
         "halal_certificate_number": "ID18110000012340125", "certificate_issuer": "BPJPH",
         "certificate_valid_until": valid},
        {"name": "Gula pasir", "kind": "raw", "producer": "PT Gula Manis", "brand": "Manis",
         "halal_certificate_number": "ID18110000045670224", "certificate_issuer": "BPJPH"},
        {"name": "Cokelat bubuk", "kind": "additive", "producer": "CV Kakao Jaya", "brand": "Kakaoku"},
        {"name": "Kantong plastik", "kind": "packaging", "producer": "UD Plastik", "brand": "Kemas",
         "halal_certificate_number": "ID18110000078900325", "certificate_issuer": "BPJPH"},
    ]  # fmt: skip
    steps = [
        {"stage": "purchase", "description": "Membeli pisang dari petani, bahan lain dari toko grosir.",
         "ingredients": ["Pisang kepok", "Minyak goreng", "Gula pasir", "Cokelat bubuk"]},
        {"stage": "receipt", "description": "Memeriksa kemasan dan logo halal setiap bahan yang datang."},
        {"stage": "storage", "description": "Menyimpan bahan di rak tertutup, terpisah dari barang lain."},
        {"stage": "processing", "description": "Mengupas, mengiris dan menggoreng pisang, lalu membalur cokelat.",
         "ingredients": ["Pisang kepok", "Minyak goreng", "Gula pasir", "Cokelat bubuk"]},
        {"stage": "packaging", "description": "Mengemas keripik dalam kantong plastik bersegel.",
         "ingredients": ["Kantong plastik"]},
        {"stage": "finished_storage", "description": "Menyimpan produk jadi di lemari kering."},
        {"stage": "distribution", "description": "Mengantar ke kios dan reseller dengan kendaraan sendiri."},
    ]  # fmt: skip
    product_create(
        actor=owner,
        business=business,
        fields={
            "name": product,
            "category": "simple_products",
            "brand": "Bu Siti",
            "packaging": "Kantong plastik",
            "kbli": "10794",
        },  # fmt: skip
        ingredients=ingredients,
        steps=steps,
    )
