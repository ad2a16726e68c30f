"""Seed the two fee schedules of shared/domain/fee_schedules.json (numbers copied here; nothing is read at runtime).

1. brin-affordable-2024: Purwanto et al. (2024), Halal Studies and Society 1(2):50-55, Table 5; basis gross income
   (Eq. 2). Table 5 closes Large B at 328,769,591; above the last surveyed bound the last tier applies (open-ended).
2. bpjph-tariff-2021: Keputusan Kepala BPJPH No. 141/2021 (effective 1 Dec 2021), basis annual sales by the PP 7/2021
   Pasal 35 scale thresholds (micro-small up to Rp15 billion, medium up to Rp50 billion). The default schedule.
"""

import datetime

from django.db import migrations

BRIN = {
    "slug": "brin-affordable-2024",
    "name": "Affordable fee recommendation (Purwanto et al. 2024, Table 5)",
    "source": (
        "Purwanto EH, Anggraeni P, Dewantoro A, Anggundari WC, Tampubolon BD. Recommendation of affordable halal "
        "certification fee. Halal Studies and Society 2024;1(2):50-55, doi:10.29244/hass.1.2.50-55; Table 5, "
        "Eq. 1 (ratio) and Eq. 2 (gross income = annual sales - annual operating expenses)"
    ),
    "basis": "gross_income",
    "effective_from": datetime.date(2024, 5, 6),
    "is_default": False,
    "notes": (
        "The paper's Table 5 closes Large B at 328,769,591; above the last surveyed bound the last tier applies. "
        "A negative gross income (expenses above sales) falls in the first tier and its ratio is undefined."
    ),
    "examination_caps": {},
    "tiers": [
        ("MS-A", "Micro-Small A (burdensome)", 0, 5242210, 774231, {}, None),
        ("MS-B", "Micro-Small B (affordable)", 5242210, 17229258, 828571, {}, None),
        ("M-A", "Medium A (burdensome)", 17229258, 79904357, 1166667, {}, None),
        ("M-B", "Medium B (affordable)", 79904357, 99852694, 2030769, {}, None),
        ("L-A", "Large A (burdensome)", 99852694, 194444444, 2995581, {}, None),
        ("L-B", "Large B (affordable)", 194444444, None, 5214286, {}, None),
    ],
}

BPJPH = {
    "slug": "bpjph-tariff-2021",
    "name": "BPJPH service tariff (Kepkaban 141/2021, implementing PMK 57/PMK.05/2021)",
    "source": (
        "Keputusan Kepala BPJPH No. 141 Tahun 2021, effective 1 Dec 2021; scale thresholds by annual sales from "
        "PP 7/2021 Pasal 35"
    ),
    "basis": "annual_sales",
    "effective_from": datetime.date(2021, 12, 1),
    "is_default": True,
    "notes": (
        "Medium/large examination fee depends on the product category (see the LPH examination caps); the 3,000,000 "
        "shown is the cap for simple products. Self-declare (Sehati) applications pay Rp0: UU 6/2023 (Perppu 2/2022) "
        "Pasal 44(2), Kepkaban 14/2024."
    ),
    # Kepkaban 141/2021 annex: caps for medium/large/foreign; the micro-small cap is 350,000 for every category.
    "examination_caps": {
        "simple_products": 3000000,
        "processed_food_chemical_microbial": 6468750,
        "flavour_fragrance": 7652500,
        "gmo_products": 5412500,
        "drugs_cosmetics_biologics": 5900000,
        "vaccines": 21125000,
        "gelatin": 7912000,
        "consumer_goods_packaging": 3937000,
        "services": 5275000,
        "restaurant_catering_canteen": 3687500,
        "slaughterhouse": 3937000,
    },
    "tiers": [
        ("UMK", "Micro and small", 0, 15000000001, 650000, {"registration": 300000, "examination_cap": 350000}, 200000),
        (
            "MED",
            "Medium",
            15000000001,
            50000000001,
            8000000,
            {"registration": 5000000, "examination_cap": 3000000},
            2400000,
        ),
        (
            "LARGE",
            "Large",
            50000000001,
            None,
            15500000,
            {"registration": 12500000, "examination_cap": 3000000},
            5000000,
        ),
    ],
}


def seed(apps, schema_editor):
    FeeSchedule = apps.get_model("fees", "FeeSchedule")
    FeeTier = apps.get_model("fees", "FeeTier")
    for spec in (BRIN, BPJPH):
        fields = {k: v for k, v in spec.items() if k not in ("slug", "tiers")}
        schedule, created = FeeSchedule.objects.get_or_create(slug=spec["slug"], version=1, defaults=fields)
        if not created:
            continue
        for code, label, lower, upper, fee, components, renewal in spec["tiers"]:
            FeeTier.objects.create(
                schedule=schedule,
                code=code,
                label=label,
                lower=lower,
                upper=upper,
                fee=fee,
                components=components,
                renewal_fee=renewal,
            )


def unseed(apps, schema_editor):
    apps.get_model("fees", "FeeSchedule").objects.filter(
        slug__in=[BRIN["slug"], BPJPH["slug"]], version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
