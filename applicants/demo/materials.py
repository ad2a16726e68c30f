"""What the demo's products are made of: natural materials matched to the positive list (KMA 1360/2021) and
materials with their producer's halal certificate, as an owner enters them; and the seven process steps."""

from __future__ import annotations

import zlib
from typing import Any

from applicants.models import PositiveListEntry

# The positive-list entries (KMA 1360/2021, seeded by migration) the demo's natural materials are matched to, as an
# owner would pick them from the search.
FISH = "ikan segar dan hewan laut sejenis (segar, beku, kering, asap, asin)"
POSITIVE: dict[str, tuple[str, ...]] = {
    "air": ("Air",),
    "garam (hasil tambang/pemurnian)": ("Garam",),
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
