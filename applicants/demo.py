"""Demo registry: ~40 Lampung businesses across the 15 regencies and cities, 2023-2025 figures, products.

Idempotent: keyed by NIB (an existing business is left as it is). owner1 runs a small snack business that fits
Sehati (self-declare); owner2 a bigger coffee roaster. The other businesses belong to demo owners umkmNN@demo.test
(password as the other demo users).
"""

from __future__ import annotations

import colorsys
import datetime as dt
import io
import random
import textwrap
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from applicants.dossier.services import facility_add, person_save
from applicants.models import Business, Person, PositiveListEntry, Region
from applicants.services import business_create, figures_create, product_create
from core.access import roles
from core.demo import demo_password_hash
from core.files.pdf import render_pdf

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
        ["Pisang kepok", "Minyak goreng sawit", "Cokelat bubuk", "Gula pasir"],
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
        ["Biji kopi robusta", "Biji kopi arabika", "Kemasan aluminium foil"],
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
        ["Biji kopi luwak", "Kemasan aluminium foil", "Kemasan kertas"],
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
        ["Singkong", "Minyak goreng sawit", "Cabai bubuk", "Garam"],
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
        ["Durian", "Tepung ketan", "Gula merah", "Santan kelapa"],
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
        ["Ikan tuna", "Bawang merah", "Gula pasir", "Minyak goreng sawit"],
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
    (
        "Madu Hutan Pesawaran",
        "food",
        "10799",
        "Madu hutan murni",
        ["Madu hutan", "Botol kaca", "Tutup botol plastik"],
        130_000_000,
        6,
        2,
        0,
    ),
    (
        "Gula Aren Pringsewu",
        "food",
        "10721",
        "Gula aren cetak",
        ["Nira aren", "Kapur sirih", "Kantong plastik"],
        95_000_000,
        3,
        2,
        0,
    ),
    (
        "Tahu Sumedang Bandar Jaya",
        "food",
        "10792",
        "Tahu goreng",
        ["Kedelai", "Garam", "Minyak goreng sawit", "Air"],
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
        ["Udang", "Tepung tapioka", "Telur ayam", "Garam"],
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
        ["Biji kopi robusta", "Gula pasir", "Kemasan sachet"],
        1_900_000_000,
        15,
        15,
        3,
    ),
    (
        "Emping Melinjo Kalianda",
        "snacks",
        "10794",
        "Emping melinjo",
        ["Melinjo", "Garam", "Kantong plastik"],
        170_000_000,
        2,
        3,
        0,
    ),
    (
        "Catering Berkah Rajabasa",
        "catering",
        "56210",
        "Nasi kotak",
        ["Beras", "Ayam potong", "Sayur", "Minyak goreng sawit"],
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
        ["Ikan tenggiri", "Tepung sagu", "Telur ayam", "Cuka"],
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
        ["Tempe", "Tepung beras", "Daun jeruk", "Minyak goreng sawit"],
        120_000_000,
        10,
        2,
        1,
    ),
    (
        "Ikan Asin Kuala Teladas",
        "food",
        "10219",
        "Ikan asin teri",
        ["Ikan teri", "Garam", "Kantong plastik"],
        330_000_000,
        -5,
        5,
        0,
    ),
    (
        "Kopi Lanang Ulubelu",
        "coffee",
        "10761",
        "Kopi lanang roasted",
        ["Biji kopi lanang", "Kemasan aluminium foil", "Kemasan kertas"],
        260_000_000,
        25,
        3,
        1,
    ),
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
    (
        "Lempok Durian Krui",
        "snacks",
        "10739",
        "Lempok durian",
        ["Durian", "Gula pasir", "Kantong plastik"],
        140_000_000,
        6,
        2,
        0,
    ),
    (
        "Mie Ayam Bangka Kemiling",
        "catering",
        "56102",
        "Mie ayam",
        ["Mie telur", "Ayam potong", "Sawi", "Kecap manis"],
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
        ["Pisang kepok", "Minyak goreng sawit", "Garam"],
        14_500_000_000,
        10,
        60,
        15,
    ),
    (
        "Minyak Kelapa Kedondong",
        "food",
        "10421",
        "Minyak kelapa murni",
        ["Kelapa", "Air", "Botol kaca"],
        480_000_000,
        7,
        4,
        0,
    ),
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
        ["Kacang tanah", "Garam", "Bawang putih"],
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
        ["Udang rebon", "Garam", "Plastik vakum"],
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
        ["Biji kopi robusta", "Karung goni", "Kantong plastik"],
        47_000_000_000,
        8,
        95,
        6,
    ),
]
OWNERS = {0: "owner1@demo.test", 1: "owner2@demo.test"}
YEARS = (2023, 2024, 2025)


# The positive-list entries (KMA 1360/2021, seeded by migration) the demo's natural materials are matched to, as an
# owner would pick them from the search.
FISH = "ikan segar dan hewan laut sejenis (segar, beku, kering, asap, asin)"
POSITIVE: dict[str, tuple[str, ...]] = {
    "air": ("Air",),
    "garam (hasil tambang/pemurnian) — unverified": ("Garam",),
    "umbi-umbian segar": ("Singkong",),
    "buah segar": ("Pisang kepok", "Durian", "Nanas", "Tomat"),
    "sayur segar": ("Cabai", "Cabai rawit", "Cabai merah", "Sawi", "Sayur", "Bawang putih", "Bawang merah"),
    "rempah-rempah": ("Kunyit", "Serai", "Lengkuas", "Asam jawa", "Daun jeruk", "Jahe"),
    "kacang-kacangan": ("Kedelai", "Kacang tanah"),
    "biji-bijian / serealia": ("Melinjo", "Biji kakao", "Beras ketan"),
    "beras": ("Beras",),
    "kelapa": ("Kelapa", "Santan kelapa"),
    "kopi": ("Biji kopi robusta", "Biji kopi arabika", "Biji kopi luwak", "Biji kopi lanang", "Kopi robusta"),
    "madu": ("Madu hutan",),
    "telur segar": ("Telur", "Telur ayam"),
    "tempe": ("Tempe",),
    FISH: ("Ikan tenggiri", "Ikan tuna", "Ikan teri", "Udang", "Udang rebon"),
}
POSITIVE_ENTRIES = {material: entry for entry, materials in POSITIVE.items() for material in materials}

# Materials that need a halal certificate: kind, producer, brand (fictional Lampung suppliers), as a supplier's label
# or certificate shows them. Each gets a BPJPH number (ID + 17 digits) derived from its name, so it never changes.
CERTIFIED: dict[str, tuple[str, str, str]] = {
    "Minyak goreng sawit": ("raw", "PT Sawit Lampung Makmur", "Sawitku"),
    "Gula pasir": ("raw", "PT Gula Manis Lampung", "Manis"),
    "Gula merah": ("raw", "Koperasi Aren Way Kanan", "Aren Asli"),
    "Gula aren": ("raw", "Koperasi Aren Way Kanan", "Aren Asli"),
    "Nira aren": ("raw", "Koperasi Nira Pringsewu", "Nira Segar"),
    "Tepung tapioka": ("raw", "PT Tapioka Tulang Bawang", "Singkong Emas"),
    "Tepung terigu": ("raw", "PT Terigu Nusantara", "Kembang Mas"),
    "Tepung beras": ("raw", "PT Beras Jaya Abadi", "Mawar"),
    "Tepung ketan": ("raw", "PT Beras Jaya Abadi", "Mawar"),
    "Tepung sagu": ("raw", "CV Sagu Meranti", "Meranti"),
    "Ragi tempe": ("additive", "Koperasi Perajin Tempe Lampung", "Ragiku"),
    "Ragi": ("additive", "PT Ragi Nusantara", "Ragi Emas"),
    "Cokelat bubuk": ("additive", "PT Kakao Pesawaran", "Kakao Murni"),
    "Susu bubuk": ("raw", "PT Susu Nusantara", "Sapi Segar"),
    "Susu UHT": ("raw", "PT Susu Nusantara", "Sapi Segar"),
    "Mentega": ("raw", "PT Mentega Indah", "Mentega Emas"),
    "Terasi": ("raw", "UD Terasi Labuhan Maringgai", "Rebon Jaya"),
    "Kecap manis": ("additive", "PT Kecap Teluk Betung", "Kuda Laut"),
    "Kecap": ("additive", "PT Kecap Teluk Betung", "Kuda Laut"),
    "Cuka": ("additive", "PT Cuka Murni Sejahtera", "Cuka Murni"),
    "Cabai bubuk": ("additive", "CV Bumbu Nusantara", "Bumbu Mantap"),
    "Bumbu balado": ("additive", "CV Bumbu Nusantara", "Bumbu Mantap"),
    "Santan bubuk": ("raw", "PT Kelapa Sejahtera", "Santanku"),
    "Mie telur": ("raw", "PT Mie Sehat Lampung", "Mie Sehat"),
    "Kulit pangsit": ("raw", "UD Pangsit Jaya", "Pangsit Jaya"),
    "Daging sapi": ("raw", "RPH Kota Bandar Lampung", ""),
    "Kulit sapi": ("raw", "RPH Kota Bandar Lampung", ""),
    "Ayam potong": ("raw", "RPHU Natar Lampung Selatan", ""),
    "Kapur sirih": ("processing_aid", "UD Kapur Sirih Lampung", "Cap Daun"),
    "Kemasan aluminium foil": ("packaging", "PT Kemasan Fleksibel Lampung", "FlexiPak"),
    "Kantong plastik": ("packaging", "UD Plastik Sukarame", "Kemas"),
    "Standing pouch": ("packaging", "PT Kemasan Fleksibel Lampung", "FlexiPak"),
    "Kemasan sachet": ("packaging", "PT Kemasan Fleksibel Lampung", "FlexiPak"),
    "Kemasan kertas": ("packaging", "CV Kertas Kraft Metro", "Kraftku"),
    "Botol kaca": ("packaging", "PT Gelas Nusantara", "Gelasindo"),
    "Tutup botol plastik": ("packaging", "UD Plastik Sukarame", "Kemas"),
    "Karung goni": ("packaging", "CV Goni Tanggamus", "Goni Kuat"),
    "Plastik vakum": ("packaging", "PT Kemasan Fleksibel Lampung", "FlexiPak"),
}
SLAUGHTERED = ("Daging sapi", "Kulit sapi", "Ayam potong")
SLAUGHTERHOUSE_CERTIFICATE = "ID18110000031270119"  # RPH Kota Bandar Lampung (demo)


def certificate_number(material: str) -> str:
    """A BPJPH-shaped number (ID + 17 digits: province, 11, sequence, month and year) stable per material."""
    return f"ID1811{zlib.crc32(material.encode()) % 10**9:09d}0{3 + len(material) % 7}24"


def ingredient_row(material: str) -> dict[str, Any]:
    """The dossier row an owner would enter for a material: a positive-list match, or its producer's certificate."""
    entry = positive_entry(material)
    if entry is not None:
        return {"name": material, "kind": "raw", "positive_list_entry": entry}
    kind, producer, brand = CERTIFIED.get(material, ("raw", "", ""))
    return {
        "name": material,
        "kind": kind,
        "producer": producer,
        "brand": brand,
        "halal_certificate_number": certificate_number(material),
        "certificate_issuer": "bpjph",
    }


def process_steps(materials: list[str], how: str) -> list[dict[str, Any]]:
    """The seven stages of the production process as an owner enters them, with the materials used at each."""
    kinds = {m: ingredient_row(m)["kind"] for m in materials}
    used = [m for m in materials if kinds[m] != "packaging"]
    packs = [m for m in materials if kinds[m] == "packaging"]
    return [
        {"stage": "purchase", "description": "Membeli bahan dari pemasok tetap dan pasar setempat.",
         "ingredients": materials},
        {"stage": "receipt", "description": "Memeriksa kemasan, tanggal kedaluwarsa dan logo halal setiap bahan."},
        {"stage": "storage", "description": "Menyimpan bahan di rak tertutup, terpisah dari barang lain."},
        {"stage": "processing", "description": how, "ingredients": used},
        {"stage": "packaging", "description": "Mengemas produk dan menempelkan label dengan tanggal produksi.",
         "ingredients": packs},
        {"stage": "finished_storage", "description": "Menyimpan produk jadi di lemari kering yang bersih."},
        {"stage": "distribution", "description": "Mengantar ke toko, reseller dan pembeli daring."},
    ]  # fmt: skip


def positive_entry(ingredient: str) -> PositiveListEntry | None:
    name = POSITIVE_ENTRIES.get(ingredient)
    return PositiveListEntry.objects.filter(name=name, active=True).first() if name else None


# The other demo owners' names (umkm00@demo.test is the first), so no page greets "UMKM05".
OWNER_NAMES = [
    "Ahmad Syarifudin", "Nurhayati", "Sri Wahyuni", "Bambang Irawan", "Yuliana Sari", "Hendra Gunawan", "Rohimah",
    "Agus Salim", "Fitri Handayani", "Joko Susilo", "Marlina", "Dedi Kurniawan", "Siti Aminah", "Rahmat Hidayat",
    "Darmi", "Wahyu Setiawan", "Nur Aini", "Suparman", "Eka Putri", "Rudi Hermawan", "Lestari", "Imam Santoso",
    "Nurul Hidayah", "Sutrisno", "Ratna Dewi", "Yem Suyatmi", "Andi Saputra", "Zulkifli", "Kumis Harjo",
    "Muhammad Ridwan", "Wulan Sari", "Taufik Hidayat", "Sumiati", "Ilham Maulana", "Partini", "Heru Prasetyo",
    "Nining Suryani", "Fauzan Akbar",
]  # fmt: skip


def _demo_owner(email: str) -> Any:
    from core.models import User

    number = email.removeprefix("umkm").split("@")[0]
    name = OWNER_NAMES[int(number) % len(OWNER_NAMES)] if number.isdigit() else email.split("@")[0]
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
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
                **_slaughtered(ingredients),
            },
            ingredients=[ingredient_row(item) for item in ingredients],
            steps=process_steps(ingredients, f"Mengolah {product.lower()} di dapur produksi sesuai resep."),
        )
        created += 1
    return f"{created} businesses created ({Business.objects.count()} in the registry)"


def _slaughtered(materials: list[str]) -> dict[str, Any]:
    """A product with slaughtered-animal materials names its slaughterhouse's halal certificate."""
    if not any(m in SLAUGHTERED for m in materials):
        return {}
    return {"contains_slaughtered": True, "slaughterhouse_certificate": SLAUGHTERHOUSE_CERTIFICATE}


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
        {"name": "Minyak goreng sawit", "kind": "raw", "producer": "PT Sawit Lampung Makmur", "brand": "Sawitku",
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
         "ingredients": ["Pisang kepok", "Minyak goreng sawit", "Gula pasir", "Cokelat bubuk"]},
        {"stage": "receipt", "description": "Memeriksa kemasan dan logo halal setiap bahan yang datang."},
        {"stage": "storage", "description": "Menyimpan bahan di rak tertutup, terpisah dari barang lain."},
        {"stage": "processing", "description": "Mengupas, mengiris dan menggoreng pisang, lalu membalur cokelat.",
         "ingredients": ["Pisang kepok", "Minyak goreng sawit", "Gula pasir", "Cokelat bubuk"]},
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


# --- Real-looking documents: small but real files, made once per content and kept in a per-process cache -----------
FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSans-Bold.ttf"


@cache
def product_photo_png(name: str) -> bytes:
    """A product photo drawn with Pillow: a stand-up pouch with its label on a table, crumbs around it, colours from
    the product's name. About 20 to 40 KB, like a phone photo an owner resized before uploading."""
    seed = zlib.crc32(name.encode())
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    hue = seed % 360
    width, height = 640, 480
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a warm wall fading into the table
        shade = 235 - y * 60 // height
        draw.line([(0, y), (width, y)], fill=(shade, shade - 12 - hue % 20, shade - 40))
    draw.rectangle([0, 330, width, height], fill=(150, 104, 62))
    for _ in range(900):  # wood grain and crumbs: a photo is never flat
        x, y = rng.randrange(width), rng.randrange(330, height)
        tone = rng.randrange(-25, 25)
        draw.point((x, y), fill=(150 + tone, 104 + tone, 62 + tone))
    colour = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue / 360, 0.65, 0.8))
    draw.rounded_rectangle([200, 70, 440, 400], radius=28, fill=colour, outline=(40, 40, 40), width=3)
    draw.rectangle([200, 70, 440, 100], fill=tuple(max(c - 50, 0) for c in colour))  # the seal
    draw.rounded_rectangle([222, 170, 418, 330], radius=12, fill=(250, 246, 236))
    font_big = ImageFont.truetype(str(FONT), 22)
    font_small = ImageFont.truetype(str(FONT), 14)
    lines = textwrap.wrap(name, 14)[:3]
    for number, line in enumerate(lines):
        box = draw.textbbox((0, 0), line, font=font_big)
        draw.text((320 - (box[2] - box[0]) // 2, 185 + number * 30), line, font=font_big, fill=(60, 30, 20))
    draw.text((240, 300), "Netto 100 g  •  P-IRT", font=font_small, fill=(90, 90, 90))
    draw.ellipse([370, 110, 420, 160], fill=(255, 255, 255), outline=(0, 120, 60), width=4)  # the halal label's place
    for _ in range(40):
        x, y, r = rng.randrange(40, 600), rng.randrange(410, 470), rng.randrange(6, 16)
        draw.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=tuple(min(c + 30, 255) for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def nib_pdf(business: Business) -> bytes:
    """The business's NIB as OSS prints it, marked SPESIMEN (a real owner uploads the PDF downloaded from OSS)."""
    from applicants.models import Kbli

    context = {
        "business": business,
        "kbli_title": Kbli.objects.filter(code=business.kbli).values_list("title", flat=True).first() or "",
        "products": list(business.products.order_by("name").values_list("name", flat=True)),
        "issued_on": timezone.localdate(business.created_at) if business.created_at else timezone.localdate(),
    }
    return render_pdf("applicants/demo/nib_pdf.html", context, language="id")


def upload(*, actor: Any, business: Business, kind: str, name: str, content: bytes, product: Any = None) -> Any:
    """Store a demo file the way an owner's upload is stored (checked, hashed, under a random name)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applicants.services import document_upload

    content_type = "image/png" if name.endswith(".png") else "application/pdf"
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return document_upload(actor=actor, business=business, kind=kind, file=file, product=product)
