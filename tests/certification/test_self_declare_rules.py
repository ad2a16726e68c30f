"""The self-declare revenue cap as dated, cited rules: the rule in force on a date applies, and the eligibility
check and the self-declare fee quote give one answer (issue 31)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from applicants.models import Business
from certification import services
from certification.eligibility import sehati_eligibility
from certification.models import Application
from core.calendar import days as cal
from core.errors import DomainError
from fees.self_declare import DEFAULT_RULES_FILE, cap_rules, rule_in_force
from fees.services import fee_quote
from tests.certification import factories as f

TAKES_EFFECT = date(2026, 3, 2)  # a Monday
DAY_BEFORE = date(2026, 3, 1)


@pytest.fixture
def newer_decree(settings: Any, tmp_path: Path) -> None:
    """A deployment that confirmed a newer decree: Rp15 billion from 2 March 2026 (a test's own rules file)."""
    data = json.loads(DEFAULT_RULES_FILE.read_text(encoding="utf-8"))
    data["rules"][1].update(
        effective_from=TAKES_EFFECT.isoformat(),
        effective_from_confirmed=True,
        revenue_cap_confirmed=True,
        applied=True,
    )
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.SELF_DECLARE_RULES_FILE = str(path)


def _quote(sales: int, on: date | None = None) -> Any:
    return fee_quote(annual_sales=sales, operating_expenses=sales // 2, pathway="self_declare", on_date=on)


def test_the_shipped_rules_apply_kepkaban_150_2022_and_list_146_2025_as_unconfirmed() -> None:
    rules = {r.short: r for r in cap_rules()}
    assert rules["Kepkaban BPJPH 150/2022 jo. 22/2023"].revenue_cap == 500_000_000
    newer = rules["Kepkaban BPJPH 146/2025"]
    assert (newer.applied, newer.revenue_cap_confirmed, newer.effective_from) == (False, False, None)
    assert rule_in_force(date(2026, 12, 7)).short == "Kepkaban BPJPH 150/2022 jo. 22/2023"


def test_a_600_million_business_is_refused_by_eligibility_and_by_the_self_declare_quote(alice: Any) -> None:
    b = f.business(alice, sales=600_000_000)
    f.product(b)
    revenue = next(c for c in sehati_eligibility(business=b).criteria if c.code == "revenue")
    assert revenue.result == "fail" and "Kepkaban BPJPH 150/2022" in revenue.reason
    with translation.override("en"), pytest.raises(DomainError, match="Rp 500.000.000") as refused:
        _quote(600_000_000)
    assert "Kepkaban BPJPH 150/2022" in str(refused.value) and "regular" in str(refused.value)
    with translation.override("id"), pytest.raises(DomainError, match="jalur reguler"):
        _quote(600_000_000)


def test_at_the_cap_both_answers_are_yes_and_the_quote_cites_the_decree(alice: Any) -> None:
    b = f.business(alice, sales=500_000_000)
    f.product(b)
    assert sehati_eligibility(business=b).eligible
    quote = _quote(500_000_000)
    assert quote.fee == 0 and any("Kepkaban BPJPH 150/2022" in line for line in quote.explanation)


@pytest.mark.parametrize(("day", "eligible"), [(DAY_BEFORE, False), (TAKES_EFFECT, True)])
def test_the_rule_in_force_on_the_day_decides_and_the_quote_agrees(
    newer_decree: None, alice: Any, day: date, eligible: bool
) -> None:
    b = f.business(alice, sales=600_000_000)
    f.product(b)
    result = sehati_eligibility(business=b, today=day)
    revenue = next(c for c in result.criteria if c.code == "revenue")
    assert (revenue.result == "pass") is eligible
    assert ("Kepkaban BPJPH 146/2025" in revenue.reason) is eligible
    if eligible:
        assert _quote(600_000_000, day).fee == 0
    else:
        with pytest.raises(DomainError, match="150/2022"):
            _quote(600_000_000, day)


@pytest.mark.parametrize(("day", "state"), [(DAY_BEFORE, "draft"), (TAKES_EFFECT, "submitted")])
def test_a_submission_is_judged_by_the_rule_in_force_on_its_date(
    newer_decree: None, cast: f.Cast, day: date, state: str
) -> None:
    b = f.business(cast.owner, sales=600_000_000)
    app = f.draft(cast.owner, "self_declare", b)
    with cal.as_of(day):
        if state == "draft":
            with translation.override("en"), pytest.raises(DomainError, match="exceed the cap of Rp 500.000.000"):
                services.application_transition(
                    application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
                )
        else:
            services.application_transition(
                application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
            )
    app.refresh_from_db()
    assert app.state == state and Application.objects.count() == 1
    if state == "draft":
        assert app.evidence_id is None and app.submitted_at is None  # a refusal writes nothing


def test_the_eligibility_api_shows_the_decree_and_what_is_unconfirmed(alice: Any, client: Any) -> None:
    b: Business = f.business(alice)
    f.product(b)
    client.force_login(alice)
    body = client.get(f"/api/v1/businesses/{b.pk}/sehati-eligibility/").json()
    assert body["revenue_cap"] == 500_000_000
    assert body["revenue_rule"]["decree"].startswith("Keputusan Kepala BPJPH No. 150 Tahun 2022")
    assert body["revenue_rule"]["effective_from_confirmed"] is False


def test_the_calculator_names_the_decree_of_the_cap(client: Any, db: None) -> None:
    page = client.get(reverse("fees:calculator"), {"annual_sales": 300_000_000, "operating_expenses": 100_000_000})
    assert "Kepkaban BPJPH 150/2022" in page.content.decode()
