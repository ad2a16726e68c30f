"""Every line of the BPJPH tariff (Kepkaban 141/2021) charged as the law says: registration or the renewal service
fee per tier, the LPH examination cap per product category for medium and large businesses (the highest category
wins), Rp350,000 for micro and small businesses whatever the category; self-declare refused above the small limit.

The numbers are copied from shared/domain/fee_schedules.json ("renewal", "lph_examination_caps"), not read from the
database, so a wrong seed or a wrong rule fails these tests.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from applicants.models import Product
from applicants.scale import SALES_MAX, Scale
from core.business_scale import SMALL_SALES_MAX
from core.errors import DomainError
from fees.models import ExaminationCategory, FeeSchedule, FeeTier
from fees.services import Quote, fee_quote, fee_quotes_all

BPJPH = "bpjph-tariff-2021"
BRIN = "brin-affordable-2024"

# Annual sales inside each tier of the tariff (PP 7/2021 scale): micro-small, medium, large.
SALES = {"UMK": 120_000_000, "MED": 20_000_000_000, "LARGE": 60_000_000_000}
REGISTRATION = {"UMK": 300_000, "MED": 5_000_000, "LARGE": 12_500_000}
RENEWAL = {"UMK": 200_000, "MED": 2_400_000, "LARGE": 5_000_000}
UMK_EXAMINATION_CAP = 350_000
CAPS = {
    "simple_products": 3_000_000,
    "processed_food_chemical_microbial": 6_468_750,
    "flavour_fragrance": 7_652_500,
    "gmo_products": 5_412_500,
    "drugs_cosmetics_biologics": 5_900_000,
    "vaccines": 21_125_000,
    "gelatin": 7_912_000,
    "consumer_goods_packaging": 3_937_000,
    "services": 5_275_000,
    "restaurant_catering_canteen": 3_687_500,
    "slaughterhouse": 3_937_000,
}


def _rows() -> tuple[int, int, int, int]:
    return (
        FeeSchedule.objects.count(),
        FeeTier.objects.count(),
        FeeSchedule.history.count(),
        FeeTier.history.count(),
    )


def _quote(tier: str, **options: Any) -> Quote:
    return fee_quote(annual_sales=SALES[tier], operating_expenses=0, schedule_slug=BPJPH, **options)


# --- the categories are one list ------------------------------------------------------------------------------


def test_the_fee_categories_are_the_product_categories_and_the_seeded_caps(db: None) -> None:
    assert list(ExaminationCategory.values) == list(Product.Category.values)
    assert FeeSchedule.objects.get(slug=BPJPH).examination_caps == CAPS
    assert set(CAPS) == set(ExaminationCategory.values)


def test_the_small_business_limit_has_one_home_and_matches_the_tariff_tier(db: None) -> None:
    assert SMALL_SALES_MAX == SALES_MAX[Scale.SMALL] == 15_000_000_000
    assert FeeTier.objects.get(schedule__slug=BPJPH, code="UMK").upper == SMALL_SALES_MAX + 1


# --- registration and renewal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", ["UMK", "MED", "LARGE"])
def test_a_new_certificate_pays_registration_and_the_simple_products_cap(db: None, tier: str) -> None:
    quote = _quote(tier)
    examination = UMK_EXAMINATION_CAP if tier == "UMK" else CAPS["simple_products"]
    assert quote.tier_code == tier
    assert quote.components == {"registration": REGISTRATION[tier], "examination_cap": examination}
    assert quote.fee == REGISTRATION[tier] + examination


@pytest.mark.parametrize("tier", ["UMK", "MED", "LARGE"])
def test_a_renewal_pays_the_renewal_service_fee_of_its_tier_instead_of_registration(db: None, tier: str) -> None:
    quote = _quote(tier, renewal=True)
    examination = UMK_EXAMINATION_CAP if tier == "UMK" else CAPS["simple_products"]
    assert quote.components == {"renewal": RENEWAL[tier], "examination_cap": examination}
    assert quote.fee == RENEWAL[tier] + examination


def test_a_micro_renewal_costs_550_000(db: None) -> None:
    assert _quote("UMK", renewal=True).fee == 550_000


# --- the LPH examination cap by category ----------------------------------------------------------------------


@pytest.mark.parametrize("category", list(CAPS))
@pytest.mark.parametrize("tier", ["MED", "LARGE"])
def test_medium_and_large_pay_the_examination_cap_of_their_category(db: None, tier: str, category: str) -> None:
    quote = _quote(tier, categories=[category])
    assert quote.components == {"registration": REGISTRATION[tier], "examination_cap": CAPS[category]}
    assert quote.fee == REGISTRATION[tier] + CAPS[category]


@pytest.mark.parametrize("category", list(CAPS))
def test_micro_and_small_pay_350_000_for_every_category(db: None, category: str) -> None:
    quote = _quote("UMK", categories=[category])
    assert quote.components == {"registration": 300_000, "examination_cap": 350_000}
    assert quote.fee == 650_000


def test_small_at_the_limit_still_pays_the_micro_small_cap_and_one_rupiah_more_pays_the_category_cap(db: None) -> None:
    at_limit = fee_quote(annual_sales=SMALL_SALES_MAX, operating_expenses=0, categories=["vaccines"])
    above = fee_quote(annual_sales=SMALL_SALES_MAX + 1, operating_expenses=0, categories=["vaccines"])
    assert (at_limit.tier_code, at_limit.fee) == ("UMK", 650_000)
    assert (above.tier_code, above.fee) == ("MED", 5_000_000 + 21_125_000)


def test_the_highest_capped_category_among_the_products_wins(db: None) -> None:
    quote = _quote("MED", categories=["simple_products", "gelatin", "vaccines", "services"])
    assert quote.components["examination_cap"] == 21_125_000
    quote = _quote("LARGE", categories=["restaurant_catering_canteen", "gelatin", "simple_products"])
    assert quote.components["examination_cap"] == 7_912_000
    assert quote.fee == 12_500_000 + 7_912_000


def test_a_renewal_of_vaccines_for_a_large_business_combines_both_lines(db: None) -> None:
    quote = _quote("LARGE", renewal=True, categories=["vaccines", "vaccines"])  # a repeat counts once
    assert quote.components == {"renewal": 5_000_000, "examination_cap": 21_125_000}
    assert quote.fee == 26_125_000


def test_the_quote_explains_every_line_in_english_and_in_indonesian(db: None) -> None:
    with translation.override("en"):
        en = _quote("MED", renewal=True, categories=["simple_products", "vaccines"]).explanation
    with translation.override("id"):
        id_ = _quote("MED", renewal=True, categories=["simple_products", "vaccines"]).explanation
    assert (
        "Rp 20.000.000.000 is at least Rp 15.000.000.001 and below Rp 50.000.000.001, so it falls in tier MED (Medium)."
        in en
    )
    assert (
        "Renewal of a certificate (tier MED): the renewal service fee of Rp 2.400.000 instead of the registration fee "
        "of Rp 5.000.000." in en
    )
    assert (
        "LPH examination fee, charged at its cap: Rp 21.125.000 for Vaccines, the highest cap among the products' "
        "categories (Simple products Rp 3.000.000, Vaccines Rp 21.125.000; Kepkaban 141/2021)." in en
    )
    assert "The fee is made up of: renewal service fee Rp 2.400.000, LPH examination (cap) Rp 21.125.000." in en
    assert (
        "Perpanjangan sertifikat (golongan MED): biaya layanan perpanjangan Rp 2.400.000 sebagai ganti biaya "
        "pendaftaran Rp 5.000.000." in id_
    )
    assert any(
        line.startswith("Biaya pemeriksaan LPH, dikenakan sebesar batas atasnya: Rp 21.125.000 untuk Vaksin")
        for line in id_
    )
    assert (
        "Biaya terdiri atas: biaya layanan perpanjangan Rp 2.400.000, pemeriksaan LPH (batas atas) Rp 21.125.000."
        in id_
    )
    assert len(en) == len(id_)


def test_the_micro_cap_and_the_assumed_category_are_explained(db: None) -> None:
    with translation.override("en"):
        micro = _quote("UMK", categories=["vaccines"]).explanation
        medium = _quote("MED").explanation
    assert "Registration for a new certificate (tier UMK): Rp 300.000." in micro
    assert (
        "LPH examination fee, charged at its cap: Rp 350.000, the cap for micro and small businesses whatever the "
        "product category (Kepkaban 141/2021)." in micro
    )
    assert (
        "LPH examination fee, charged at its cap: Rp 3.000.000 for Simple products (no product category was given, "
        "so simple products are assumed; Kepkaban 141/2021)." in medium
    )


def test_the_gross_income_schedule_says_it_has_no_renewal_or_category_components(db: None) -> None:
    plain = fee_quote(annual_sales=200_000_000, operating_expenses=0, schedule_slug=BRIN)
    with translation.override("en"):
        asked = fee_quote(
            annual_sales=200_000_000, operating_expenses=0, schedule_slug=BRIN, renewal=True, categories=["vaccines"]
        )
    assert (asked.fee, asked.components, asked.tier_code) == (plain.fee, {}, plain.tier_code) == (5_214_286, {}, "L-B")
    assert any("has no renewal fee and no product-category components" in line for line in asked.explanation)
    assert len(asked.explanation) == len(plain.explanation) + 1


# --- self-declare -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sales", [SMALL_SALES_MAX + 1, 40_000_000_000, 60_000_000_000])
def test_self_declare_is_refused_for_a_medium_or_large_business_with_the_reason(db: None, sales: int) -> None:
    before = _rows()
    with translation.override("en"), pytest.raises(DomainError) as raised:
        fee_quote(annual_sales=sales, operating_expenses=0, pathway="self_declare")
    message = str(raised.value)
    assert message.startswith("Self-declare (free certification) is only for micro and small businesses")
    assert "above the small-business limit of Rp 15.000.000.000 (PP 7/2021 Pasal 35)" in message
    assert "Use the regular pathway." in message
    assert raised.value.errors == {"pathway": [message]}
    assert _rows() == before


def test_the_self_declare_refusal_is_in_indonesian_too(db: None) -> None:
    with translation.override("id"), pytest.raises(DomainError) as raised:
        fee_quote(annual_sales=40_000_000_000, operating_expenses=0, pathway="self_declare")
    assert str(raised.value).startswith(
        "Self-declare (sertifikasi gratis) hanya untuk usaha mikro dan kecil: penjualan tahunan Rp 40.000.000.000"
    )


def test_self_declare_at_the_revenue_cap_stays_free_and_says_why(db: None) -> None:
    """At the self-declare cap in force (Rp500 million, Kepkaban 150/2022) the quote is Rp0; above it the quote
    refuses as eligibility does (tests/certification/test_self_declare_rules.py), however small the business."""
    with translation.override("en"):
        quote = fee_quote(
            annual_sales=500_000_000, operating_expenses=0, pathway="self_declare", categories=["vaccines"]
        )
        with pytest.raises(DomainError, match="Self-declare is only for annual sales up to Rp 500.000.000"):
            fee_quote(annual_sales=SMALL_SALES_MAX, operating_expenses=0, pathway="self_declare")
    assert (quote.fee, quote.components) == (0, {})
    assert any("UU 6/2023 Pasal 44(2)" in line for line in quote.explanation)
    assert "A renewal and the product categories change the fee on the regular pathway only." in quote.explanation


def test_the_calculator_quotes_every_schedule_with_the_same_options(db: None) -> None:
    results = fee_quotes_all(annual_sales=20_000_000_000, operating_expenses=0, renewal=True, categories=["gelatin"])
    by_slug = {schedule.slug: quote for schedule, quote in results}
    assert by_slug[BPJPH].fee == 2_400_000 + 7_912_000
    assert by_slug[BRIN].fee == 5_214_286


# --- bad options --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"categories": ["vaccines", "frozen_food"]}, "categories", "Unknown product category “frozen_food”."),
        ({"categories": "vaccines"}, "categories", "Give the product categories as a list of category codes."),
        ({"categories": [1]}, "categories", "Give the product categories as a list of category codes."),
        ({"categories": ["vaccines"] * 21}, "categories", "Give at most 20 product categories."),
        ({"renewal": "yes"}, "renewal", "Say whether this is a renewal with true or false."),
        ({"renewal": 1}, "renewal", "Say whether this is a renewal with true or false."),
    ],
)
def test_bad_renewal_or_categories_are_refused_naming_the_field_and_write_nothing(
    db: None, options: dict[str, Any], field: str, message: str
) -> None:
    before = _rows()
    with translation.override("en"), pytest.raises(DomainError) as raised:
        fee_quote(annual_sales=1, operating_expenses=0, **options)
    assert str(raised.value) == message
    assert raised.value.errors == {field: [message]}
    assert _rows() == before


def test_a_schedule_without_a_cap_for_a_category_says_so(db: None) -> None:
    schedule = FeeSchedule.objects.get(slug=BPJPH)
    schedule.examination_caps = {k: v for k, v in CAPS.items() if k != "gelatin"}
    schedule.save()
    with translation.override("en"), pytest.raises(DomainError) as raised:
        _quote("MED", categories=["gelatin"])
    assert "has no LPH examination cap for the product category “gelatin”" in str(raised.value)
    assert _quote("UMK", categories=["gelatin"]).fee == 650_000
