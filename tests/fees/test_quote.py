from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from core.errors import DomainError
from fees.models import FeeSchedule
from fees.services import Quote, fee_quote

from .factories import schedule_with_tiers

BRIN = "brin-affordable-2024"


def test_self_declare_quote_is_free_reports_the_tier_and_says_why(db: None) -> None:
    quote = fee_quote(annual_sales=120_000_000, operating_expenses=40_000_000, pathway="self_declare")
    assert quote.pathway == "self_declare"
    assert quote.fee == 0
    assert quote.components == {}
    assert quote.tier_code == "UMK"
    with translation.override("en"):
        quote = fee_quote(annual_sales=120_000_000, operating_expenses=40_000_000, pathway="self_declare")
    assert any("UU 6/2023 Pasal 44(2)" in line and "Rp 0" in line for line in quote.explanation)


def test_explanation_is_one_sentence_per_step_in_english(db: None) -> None:
    with translation.override("en"):
        quote = fee_quote(annual_sales=10_000_000, operating_expenses=2_000_000, schedule_slug=BRIN)
    assert quote.explanation == [
        "Gross income = annual sales Rp 10.000.000 − operating expenses Rp 2.000.000 = Rp 8.000.000 (Eq. 2).",
        "The schedule “Affordable fee recommendation (Purwanto et al. 2024, Table 5)” (version 1) chooses the tier "
        "by gross income: Rp 8.000.000.",
        "Rp 8.000.000 is at least Rp 5.242.210 and below Rp 17.229.258, so it falls in tier MS-B "
        "(Micro-Small B (affordable)), fee Rp 828.571.",
        "Ratio R = fee / gross income × 100 = Rp 828.571 / Rp 8.000.000 × 100 = 10.36% (Eq. 1).",
        "R is above the 2.50% affordability threshold: the fee is burdensome.",
    ]
    assert quote.affordability == "burdensome"


def test_explanation_is_in_indonesian_by_default(db: None) -> None:
    with translation.override("id"):
        quote = fee_quote(annual_sales=10_000_000, operating_expenses=2_000_000, schedule_slug=BRIN)
    assert quote.explanation[0] == (
        "Pendapatan kotor = penjualan tahunan Rp 10.000.000 − biaya operasional Rp 2.000.000 = Rp 8.000.000 (Pers. 2)."
    )
    assert "golongan MS-B (Mikro-Kecil B (terjangkau))" in quote.explanation[2]
    assert quote.explanation[3].endswith("= 10,36% (Pers. 1).")
    assert quote.explanation[4] == "R di atas ambang keterjangkauan 2,50%: biaya ini memberatkan."
    assert quote.tier_label == "Mikro-Kecil B (terjangkau)"


def test_components_are_explained(db: None) -> None:
    with translation.override("en"):
        quote = fee_quote(annual_sales=20_000_000_000, operating_expenses=0)
    assert "The fee is made up of: registration Rp 5.000.000, LPH examination (cap) Rp 3.000.000." in quote.explanation


def test_small_ratio_is_affordable(db: None) -> None:
    quote = fee_quote(annual_sales=600_000_000, operating_expenses=100_000_000)
    assert str(quote.ratio_percent) == "0.13"
    assert quote.affordability == "affordable"
    assert quote.is_burdensome is False


def test_unknown_schedule_slug_is_a_domain_error(db: None) -> None:
    with pytest.raises(DomainError) as raised:
        fee_quote(annual_sales=1, operating_expenses=0, schedule_slug="no-such-schedule")
    assert "no-such-schedule" in str(raised.value)
    assert raised.value.errors["schedule"]


def test_inactive_schedule_is_unknown(db: None) -> None:
    FeeSchedule.objects.filter(slug=BRIN).update(active=False)
    FeeSchedule.objects.get(slug=BRIN).save()  # a save through the ORM refreshes the cached snapshot
    with pytest.raises(DomainError):
        fee_quote(annual_sales=1, operating_expenses=0, schedule_slug=BRIN)


def test_fractional_or_boolean_amounts_are_refused(db: None) -> None:
    with pytest.raises(DomainError):
        fee_quote(annual_sales=1.5, operating_expenses=0)  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        fee_quote(annual_sales=True, operating_expenses=0)  # type: ignore[arg-type]


def test_unknown_pathway_is_refused(db: None) -> None:
    with pytest.raises(DomainError):
        fee_quote(annual_sales=1, operating_expenses=0, pathway="express")


def test_default_schedule_is_the_one_in_effect_on_the_date(db: None) -> None:
    FeeSchedule.objects.filter(slug="bpjph-tariff-2021").update(effective_to=datetime.date(2029, 12, 31))
    schedule_with_tiers(
        [("ALL", 0, None, 123_000)],
        slug="future-tariff",
        is_default=True,
        effective_from=datetime.date(2030, 1, 1),
    )
    assert fee_quote(annual_sales=1, operating_expenses=0, on_date=datetime.date(2029, 12, 31)).fee == 650_000
    later = fee_quote(annual_sales=1, operating_expenses=0, on_date=datetime.date(2030, 1, 1))
    assert (later.schedule_slug, later.fee) == ("future-tariff", 123_000)
    with pytest.raises(DomainError):
        fee_quote(annual_sales=1, operating_expenses=0, on_date=datetime.date(2021, 11, 30))


def test_a_new_version_of_a_slug_takes_over_from_its_effective_date(db: None) -> None:
    FeeSchedule.objects.filter(slug=BRIN).update(effective_to=datetime.date(2027, 12, 31))
    schedule_with_tiers([("ONE", 0, None, 500_000)], slug=BRIN, version=2, effective_from=datetime.date(2028, 1, 1))
    old = fee_quote(annual_sales=10, operating_expenses=0, schedule_slug=BRIN, on_date=datetime.date(2027, 6, 1))
    new = fee_quote(annual_sales=10, operating_expenses=0, schedule_slug=BRIN, on_date=datetime.date(2028, 6, 1))
    assert (old.schedule_version, old.fee) == (1, 774_231)
    assert (new.schedule_version, new.fee) == (2, 500_000)


def test_quote_sees_a_tier_change_at_once(db: None) -> None:
    assert fee_quote(annual_sales=1, operating_expenses=0).fee == 650_000
    tier = FeeSchedule.objects.get(slug="bpjph-tariff-2021").tiers.get(code="UMK")
    tier.fee, tier.components = 700_000, {"registration": 350_000, "examination_cap": 350_000}
    tier.save()
    assert fee_quote(annual_sales=1, operating_expenses=0).fee == 700_000


def test_cached_quote_needs_no_query(db: None, django_assert_num_queries: object) -> None:
    fee_quote(annual_sales=1, operating_expenses=0)
    with django_assert_num_queries(0):  # type: ignore[operator]
        fee_quote(annual_sales=2, operating_expenses=0)


def test_quote_interface_other_apps_rely_on() -> None:
    import dataclasses
    import inspect

    assert [f.name for f in dataclasses.fields(Quote)] == [
        "annual_sales",
        "operating_expenses",
        "gross_income",
        "basis",
        "basis_value",
        "tier_code",
        "tier_label",
        "fee",
        "components",
        "ratio_percent",
        "schedule_slug",
        "schedule_version",
        "pathway",
        "explanation",
    ]
    assert Quote.__dataclass_params__.frozen  # type: ignore[attr-defined]
    parameters = inspect.signature(fee_quote).parameters
    # Issue 15 added renewal and categories after the others, keyword-only with defaults: no caller changes.
    assert list(parameters) == [
        "annual_sales",
        "operating_expenses",
        "schedule_slug",
        "pathway",
        "on_date",
        "renewal",
        "categories",
    ]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_a_repeated_quote_is_remembered_per_language_and_never_across_a_schedule_change(db: None) -> None:
    with translation.override("en"):
        english = fee_quote(annual_sales=1, operating_expenses=0)
        assert fee_quote(annual_sales=1, operating_expenses=0) is english  # the same figures: the same answer
    with translation.override("id"):
        indonesian = fee_quote(annual_sales=1, operating_expenses=0)
    assert indonesian is not english and indonesian.explanation != english.explanation
    tier = FeeSchedule.objects.get(slug="bpjph-tariff-2021").tiers.get(code="UMK")
    tier.fee, tier.components = 700_000, {"registration": 350_000, "examination_cap": 350_000}
    tier.save()
    with translation.override("en"):
        assert fee_quote(annual_sales=1, operating_expenses=0).fee == 700_000
