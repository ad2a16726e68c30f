"""Sehati eligibility: every criterion failing alone gives that criterion's reason, in English and Indonesian."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from applicants.models import Business, Facility, Ingredient, Person, Product
from certification.eligibility import sehati_eligibility
from tests.certification import factories as f


def _eligible_business(owner: Any) -> Business:
    b = f.business(owner)
    f.product(b)
    return b


def _set(**fields: Any) -> Callable[[Business], None]:
    def change(b: Business) -> None:
        Business.objects.filter(pk=b.pk).update(**fields)

    return change


def _products(**fields: Any) -> Callable[[Business], None]:
    def change(b: Business) -> None:
        Product.objects.filter(business=b).update(**fields)

    return change


def _sales(amount: int) -> Callable[[Business], None]:
    def change(b: Business) -> None:
        b.figures.update(annual_sales=amount)

    return change


def _undocumented_ingredient(b: Business) -> None:
    Ingredient.objects.create(product=b.products.get(), name="Kecap tanpa label")


def _certified(b: Business, name: str) -> None:
    """A hazardous material fails on its own: the ingredient even carries a halal certificate (so low_risk passes)."""
    Ingredient.objects.create(
        product=b.products.get(),
        name=name,
        halal_certificate_number="ID00110000012340124",
        certificate_issuer="bpjph",
        certificate_valid_until=timezone.localdate() + timedelta(days=365),
    )


def _hazardous_ingredient(b: Business) -> None:
    _certified(b, "Boraks (Bleng)")


def _dyed_with(name: str) -> Callable[[Business], None]:
    return lambda b: _certified(b, name)


def _no_supervisor(b: Business) -> None:
    Person.objects.filter(business=b).delete()


CASES = [
    ("nib", "fail", _set(nib=""), "has no NIB", "tidak memiliki NIB"),
    ("scale", "fail", _sales(16_000_000_000), "exceed the small-business limit", "melebihi batas usaha kecil"),
    ("revenue", "fail", _sales(600_000_000), "exceed the cap of Rp 500.000.000", "melebihi batas Rp 500.000.000"),
    (
        "producing_1y",
        "fail",
        _set(production_started=timezone.localdate() - timedelta(days=100)),
        "less than a year ago",
        "kurang dari setahun",
    ),
    ("goods_only", "fail", _products(category="services"), "not goods", "bukan barang"),
    ("goods_only", "fail", _set(sector="catering"), "Catering and food stalls", "Katering dan warung"),
    ("low_risk", "fail", _undocumented_ingredient, "Kecap tanpa label", "Kecap tanpa label"),
    ("meat_source", "fail", _products(contains_slaughtered=True), "slaughterhouse", "rumah potong"),
    ("simple_process", "fail", _products(process="automatic"), "automatic", "otomatis"),
    ("simple_process", "fail", _products(preservation_methods=2), "more than one preservation", "lebih dari satu"),
    ("no_special_treatment", "fail", _products(irradiated=True), "irradiation", "iradiasi"),
    ("no_special_treatment", "fail", _products(ozonated=True), "ozonation", "ozonisasi"),
    ("no_special_treatment", "fail", _products(genetically_engineered=True), "genetic engineering", "rekayasa genetik"),
    ("no_hazardous", "fail", _hazardous_ingredient, "Boraks (Bleng)", "Permenkes 033/2012"),
    ("no_hazardous", "fail", _dyed_with("Rhodamin B"), "Rhodamin B", "Permenkes 239/Men.Kes/Per/V/1985"),
    ("no_hazardous", "fail", _dyed_with("Pewarna kuning metanil"), "methanil yellow", "Kuning metanil"),
    ("one_facility", "fail", _set(outlets=2), "at most one of each", "paling banyak satu"),
    ("separate_facility", "fail", _set(separate_halal_facility=False), "shared with non-halal", "bercampur"),
    ("separate_facility", "unknown", _set(separate_halal_facility=None), "Not stated", "Belum dinyatakan"),
    ("halal_supervisor", "fail", _no_supervisor, "No halal supervisor is named", "Belum ada penyelia halal"),
]


def test_a_complete_small_business_passes_every_criterion(alice: Any) -> None:
    result = sehati_eligibility(business=_eligible_business(alice))
    # 13: product_category joined (issue 15); no irradiation/ozonation/genetic engineering and no hazardous
    # materials (issue 31); a halal supervisor named (issue 31, third pass)
    assert [c.result for c in result.criteria] == ["pass"] * 14
    assert result.eligible


@pytest.mark.parametrize(("code", "outcome", "change", "english", "indonesian"), CASES)
def test_each_criterion_failing_alone_gives_its_reason(
    code: str,
    outcome: str,
    change: Callable[[Business], None],
    english: str,
    indonesian: str,
    alice: Any,
    settings: Any,
) -> None:
    if code == "scale":
        settings.SEHATI_REVENUE_CAP = 20_000_000_000  # so that only the scale criterion fails
    b = _eligible_business(alice)
    change(b)
    b.refresh_from_db()
    with translation.override("en"):
        result = sehati_eligibility(business=b)
    not_passed = [(c.code, c.result) for c in result.criteria if not c.passed]
    assert not_passed == [(code, outcome)]
    assert english in result.failing()[0].reason
    assert not result.eligible
    with translation.override("id"):
        reason_id = sehati_eligibility(business=b).failing()[0].reason
    assert indonesian in reason_id


def test_no_ingredients_is_unknown_not_pass(alice: Any) -> None:
    b = f.business(alice)
    f.product(b, ingredients=0)
    result = sehati_eligibility(business=b)
    low_risk = next(c for c in result.criteria if c.code == "low_risk")
    assert low_risk.result == "unknown"
    assert not result.eligible


def test_eligibility_api_answers_the_owner_and_staff_and_hides_from_others(
    api_as: Any, alice: Any, bob: Any, rina: Any, pat: Any
) -> None:
    b = _eligible_business(alice)
    url = f"/api/v1/businesses/{b.pk}/sehati-eligibility/"
    response = api_as(alice).get(url)
    assert response.status_code == 200
    body = response.json()
    assert (
        body["eligible"] is True and len(body["criteria"]) == 14
    )  # product_category (15); treatments, hazards, supervisor (31)
    assert {c["code"] for c in body["criteria"]} >= {"nib", "separate_facility"}
    assert api_as(rina).get(url).status_code == 200
    assert api_as(bob).get(url).status_code == 404
    assert api_as(pat).get(url).status_code == 404
    assert api_as(None).get(url).status_code in (401, 403)


def test_the_one_facility_criterion_reads_the_recorded_facilities(alice: Any) -> None:
    b = _eligible_business(alice)
    for name in ("Kios pasar", "Kios terminal"):
        Facility.objects.create(business=b, kind="outlet", name=name, address="Jl. Pasar", region=b.region)
    with translation.override("id"):
        criterion = next(c for c in sehati_eligibility(business=b).criteria if c.code == "one_facility")
    assert criterion.result == "fail"
    assert "0 fasilitas produksi dan 2 gerai" in criterion.reason
    Facility.objects.filter(name="Kios terminal").delete()
    criterion = next(c for c in sehati_eligibility(business=b).criteria if c.code == "one_facility")
    assert criterion.result == "pass"


def test_an_expired_certificate_makes_an_ingredient_doubtful_with_the_reason_and_what_to_do(alice: Any) -> None:
    b = _eligible_business(alice)
    Ingredient.objects.filter(product__business=b).update(
        positive_list_entry=None,
        halal_certificate_number="ID18110000012340125",
        certificate_issuer="bpjph",
        certificate_valid_until=timezone.localdate() - timedelta(days=1),
    )
    with translation.override("id"):
        criterion = next(c for c in sehati_eligibility(business=b).criteria if c.code == "low_risk")
    assert criterion.result == "fail"
    assert "kedaluwarsa" in criterion.reason and "daftar positif" in criterion.reason


def test_the_production_date_reads_as_an_indonesian_date_not_iso(alice: Any) -> None:
    from datetime import date

    from django.utils import translation

    business = _eligible_business(alice)
    Business.objects.filter(pk=business.pk).update(production_started=date(2018, 11, 5))
    with translation.override("id"):
        result = sehati_eligibility(business=Business.objects.get(pk=business.pk))
    message = next(c.reason for c in result.criteria if c.code == "producing_1y")
    assert "sejak 5 November 2018" in message and "2018-11-05" not in message
