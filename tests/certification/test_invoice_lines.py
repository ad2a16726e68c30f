"""The invoice line by line: `fee_snapshot_take` stores the components and the explanation (Indonesian and English)
on the application, a renewal pays the renewal service fee, the products' categories set the LPH examination cap,
and the owner's and the staff's pages show each line, the total, the schedule version and its source.

The snapshot is taken directly (its signature is the contract), so these tests hold whichever transition takes it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from applicants.models import AnnualFigures, Business, Product
from certification import services
from certification.fee_snapshot import fee_snapshot_take, invoice_of
from certification.models import Application, Certificate
from tests.certification import factories as f

YEAR = 2026


@pytest.fixture(autouse=True)
def _schedules(request: Any) -> None:
    request.getfixturevalue("fee_schedules")


def _regular(
    owner: Any, *, sales: int = 120_000_000, categories: tuple[str, ...] = ("simple_products",)
) -> Application:
    b = f.business(owner, sales=sales)
    items = [f.product(b, name=f"Produk {i}", category=category) for i, category in enumerate(categories)]
    docs = f.documents(b)
    return services.application_create(
        actor=owner,
        business_id=b.pk,
        pathway="regular",
        product_ids=[p.pk for p in items],
        document_ids=[d.pk for d in docs],
    )


def _take(app: Application) -> Application:
    fields = fee_snapshot_take(application=app, year=YEAR)
    app.save(update_fields=fields)
    app.refresh_from_db()
    return app


def test_the_snapshot_stores_the_components_and_the_explanation_in_both_languages(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner))
    assert app.fee_amount == 650_000
    assert app.fee_components == {"registration": 300_000, "examination_cap": 350_000}
    assert set(app.fee_explanation) == {"id", "en"}
    assert "Registration for a new certificate (tier UMK): Rp 300.000." in app.fee_explanation["en"]
    assert "Pendaftaran sertifikat baru (golongan UMK): Rp 300.000." in app.fee_explanation["id"]
    assert any(
        line.startswith("LPH examination fee, charged at its cap: Rp 350.000") for line in app.fee_explanation["en"]
    )
    assert any(line.startswith("Biaya pemeriksaan LPH") for line in app.fee_explanation["id"])
    assert len(app.fee_explanation["id"]) == len(app.fee_explanation["en"])
    assert app.invoice_reference == f"INV-{YEAR}-{app.pk:07d}"


def test_a_medium_business_with_vaccines_and_simple_products_is_charged_the_vaccine_cap(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner, sales=20_000_000_000, categories=("simple_products", "vaccines")))
    assert (app.fee_tier_code, app.fee_amount) == ("MED", 26_125_000)
    assert app.fee_components == {"registration": 5_000_000, "examination_cap": 21_125_000}
    assert any("Rp 21.125.000 for Vaccines, the highest cap" in line for line in app.fee_explanation["en"])


def test_a_large_business_with_gelatin_is_charged_the_gelatin_cap(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner, sales=60_000_000_000, categories=("gelatin",)))
    assert app.fee_components == {"registration": 12_500_000, "examination_cap": 7_912_000}
    assert app.fee_amount == 20_412_000


def test_a_micro_business_with_vaccines_pays_the_micro_small_cap(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner, categories=("vaccines",)))
    assert app.fee_components == {"registration": 300_000, "examination_cap": 350_000}


def test_a_renewal_is_charged_the_renewal_service_fee(cast: f.Cast) -> None:
    old = f.issued(cast)
    Certificate.objects.filter(application=old).update(expires_on=timezone.localdate() + timedelta(days=60))
    b = old.business
    AnnualFigures.objects.filter(business=b).update(annual_sales=20_000_000_000)
    product = Product.objects.filter(business=b).first()
    assert product is not None
    renewal = services.application_create(
        actor=cast.owner,
        business_id=b.pk,
        pathway="regular",
        product_ids=[product.pk],
        document_ids=[d.pk for d in f.documents(b)],
        previous_certificate_id=old.certificate.pk,
    )
    app = _take(renewal)
    assert app.fee_components == {"renewal": 2_400_000, "examination_cap": 3_000_000}
    assert app.fee_amount == 5_400_000
    assert any(line.startswith("Renewal of a certificate (tier MED)") for line in app.fee_explanation["en"])
    assert any(line.startswith("Perpanjangan sertifikat (golongan MED)") for line in app.fee_explanation["id"])


def test_the_invoice_taken_on_the_way_to_payment_carries_its_lines(cast: f.Cast) -> None:
    b = f.business(cast.owner, sales=20_000_000_000)
    app = f.draft(cast.owner, "regular", b)
    Product.objects.filter(business=b).update(category="drugs_cosmetics_biologics")
    app = f.drive(app, "awaiting_payment", cast)
    assert app.fee_components == {"registration": 5_000_000, "examination_cap": 5_900_000}
    assert app.fee_amount == 10_900_000 and app.fee_explanation["en"]


def test_the_snapshot_does_not_move_when_the_products_change_later(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner, sales=20_000_000_000))
    Product.objects.filter(applications=app).update(category="vaccines")
    app.refresh_from_db()
    assert app.fee_components["examination_cap"] == 3_000_000
    assert app.fee_amount == 8_000_000


def _page(user: Any, url: str, language: str = "en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _invoice(html: str) -> str:
    start = html.index('<dd id="invoice"')
    return html[start : html.index("</dd>", html.index("</details>", start))]


def test_the_owner_sees_the_invoice_line_by_line(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner, sales=20_000_000_000, categories=("simple_products", "vaccines")))
    invoice = _invoice(_page(cast.owner, f"/applications/{app.pk}/"))
    assert app.invoice_reference in invoice
    assert '<th scope="row">Registration</th><td class="num">Rp 5.000.000</td>' in invoice
    assert '<th scope="row">LPH examination (cap)</th><td class="num">Rp 21.125.000</td>' in invoice
    assert '<th scope="row">Total</th><td class="num">Rp 26.125.000</td>' in invoice
    assert (
        "Fee schedule: BPJPH service tariff (Kepkaban 141/2021, implementing PMK 57/PMK.05/2021), version 1" in invoice
    )
    assert "Source: Keputusan Kepala BPJPH No. 141 Tahun 2021" in invoice
    assert "Rp 21.125.000 for Vaccines, the highest cap among the products&#x27; categories" in invoice


def test_the_staff_case_page_shows_the_same_invoice_in_indonesian(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner, sales=20_000_000_000, categories=("vaccines",)))
    invoice = _invoice(_page(cast.reviewer, f"/cases/{app.pk}/", language="id"))
    assert '<th scope="row">Pendaftaran</th><td class="num">Rp 5.000.000</td>' in invoice
    assert '<th scope="row">Jumlah</th><td class="num">Rp 26.125.000</td>' in invoice
    assert "Pendaftaran sertifikat baru (golongan MED): Rp 5.000.000." in invoice
    assert "Skema tarif: Tarif layanan BPJPH" in invoice and "Sumber:" in invoice


def test_an_invoice_taken_before_the_lines_existed_shows_its_total(cast: f.Cast) -> None:
    app = _take(_regular(cast.owner))
    Application.objects.filter(pk=app.pk).update(fee_components={}, fee_explanation={})
    app.refresh_from_db()
    invoice = invoice_of(app)
    assert invoice is not None
    assert (invoice.total, invoice.lines, invoice.explanation) == (650_000, [], [])
    html = _page(cast.owner, f"/applications/{app.pk}/")
    assert app.invoice_reference in html and "Rp 650.000" in html


def test_an_application_without_an_invoice_shows_none(cast: f.Cast) -> None:
    app = _regular(cast.owner)
    assert invoice_of(app) is None
    assert 'id="invoice"' not in _page(cast.owner, f"/applications/{app.pk}/")


def test_another_owner_never_sees_the_invoice(cast: f.Cast, bob: Any) -> None:
    app = _take(_regular(cast.owner))
    client = Client()
    client.force_login(bob)
    assert client.get(f"/applications/{app.pk}/").status_code == 404


def test_the_invoice_needs_no_query_of_its_own(cast: f.Cast, django_assert_num_queries: Any) -> None:
    app = _take(_regular(cast.owner))
    invoice_of(app)  # the fee app's schedule snapshot is cached after the first read
    with django_assert_num_queries(0):
        invoice = invoice_of(app)
    assert invoice is not None and invoice.source.startswith("Keputusan Kepala BPJPH")


def test_figures_are_read_from_the_latest_year(cast: f.Cast) -> None:
    app = _regular(cast.owner)
    business = Business.objects.get(pk=app.business_id)
    AnnualFigures.objects.create(
        business=business,
        year=timezone.localdate().year,
        annual_sales=20_000_000_000,
        operating_expenses=0,
        workforce=30,
    )
    assert _take(app).fee_tier_code == "MED"


def test_the_migration_gives_older_invoices_the_components_of_the_tier_they_paid(cast: f.Cast) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("certification.migrations.0004_fee_lines_and_self_declare_categories")
    paid_tier = _take(_regular(cast.owner))
    other_fee = _take(_regular(cast.owner))
    Application.objects.filter(pk__in=[paid_tier.pk, other_fee.pk]).update(fee_components={}, fee_explanation={})
    Application.objects.filter(pk=other_fee.pk).update(fee_amount=123)  # not the tier's fee: left alone
    migration.backfill_invoice_components(apps, None)
    paid_tier.refresh_from_db()
    other_fee.refresh_from_db()
    assert paid_tier.fee_components == {"registration": 300_000, "examination_cap": 350_000}
    assert other_fee.fee_components == {}
    assert paid_tier.fee_explanation == {}
