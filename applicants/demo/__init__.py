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

from applicants.demo.files import nib_pdf, product_photo_png, upload
from applicants.demo.materials import (
    SLAUGHTERED,
    SLAUGHTERHOUSE_CERTIFICATE,
    ingredient_row,
    positive_entry,
    process_steps,
)
from applicants.demo.specs import CODES, SPECS, TOWN_REGIONS, region_code_for
from applicants.dossier.services import facility_add, person_save
from applicants.models import Business, Person, Region
from applicants.scale import RANK, Scale, scale_by_sales
from applicants.selectors import latest_figures
from applicants.services import business_create, figures_create, product_create
from core.access import roles
from core.demo import demo_password_hash

__all__ = [
    "CODES",
    "SLAUGHTERED",
    "SLAUGHTERHOUSE_CERTIFICATE",
    "SPECS",
    "TOWN_REGIONS",
    "ingredient_row",
    "load",
    "nib_pdf",
    "process_steps",
    "product_photo_png",
    "region_code_for",
    "upload",
]

OWNERS = {0: "owner1@demo.test", 1: "owner2@demo.test"}
YEARS = (2023, 2024, 2025)
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
