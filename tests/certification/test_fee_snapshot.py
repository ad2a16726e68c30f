"""Regular pathway: the fee is quoted at verification from the charged schedule and kept as the invoice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import AnnualFigures
from certification import services
from certification.models import ApplicationEvent
from core.errors import DomainError
from tests.certification import factories as f


@pytest.fixture(autouse=True)
def _schedules(request: Any) -> None:
    request.getfixturevalue("fee_schedules")


def test_the_lph_appointment_snapshots_the_fee_of_the_charged_schedule(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_appointment", cast)  # sales 120,000,000; expenses 60,000,000
    services.application_transition(application_id=app.pk, action="appoint_lph", actor=cast.reviewer)
    app.refresh_from_db()
    assert app.state == "awaiting_payment"
    assert (app.fee_schedule_slug, app.fee_tier_code, app.fee_amount) == ("bpjph-tariff-2021", "UMK", 650_000)
    assert app.fee_schedule_version is not None and app.fee_schedule_version >= 1
    assert app.fee_ratio_percent is not None
    assert abs(app.fee_ratio_percent - Decimal("1.08")) < Decimal("0.01")  # 650,000 / 60,000,000
    assert app.invoice_reference.startswith("INV-") and app.invoice_reference.endswith(f"{app.pk:07d}")
    assert (app.due_on, app.paused_remaining_days) == (None, None)  # the clock waits for the owner's payment


def test_the_snapshot_does_not_change_when_figures_change_later(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    AnnualFigures.objects.filter(business=app.business).update(annual_sales=40_000_000_000)
    services.application_transition(
        application_id=app.pk, action="record_payment", actor=cast.reviewer, payment_proof=f.pdf()
    )
    app.refresh_from_db()
    assert (app.state, app.fee_amount, app.fee_tier_code) == ("lph_examination", 650_000, "UMK")
    assert app.paid_at is not None and app.payment_proof.name.endswith(".pdf")


def test_an_lph_appointment_without_annual_figures_is_refused(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_appointment", cast)
    AnnualFigures.objects.filter(business=app.business).delete()
    with pytest.raises(DomainError, match="filed no annual figures"):
        services.application_transition(application_id=app.pk, action="appoint_lph", actor=cast.reviewer)
    app.refresh_from_db()
    assert (app.state, app.fee_amount, app.invoice_reference) == ("lph_appointment", None, "")


def test_payment_without_proof_is_refused_and_nothing_written(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    events = ApplicationEvent.objects.filter(application=app).count()
    with pytest.raises(DomainError, match="The payment proof is required"):
        services.application_transition(application_id=app.pk, action="record_payment", actor=cast.reviewer)
    app.refresh_from_db()
    assert (app.state, app.paid_at, bool(app.payment_proof)) == ("awaiting_payment", None, False)
    assert ApplicationEvent.objects.filter(application=app).count() == events


def test_a_payment_proof_that_is_not_a_pdf_or_image_is_refused(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    fake = SimpleUploadedFile("proof.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(DomainError, match="Only PDF, JPEG and PNG files are accepted"):
        services.application_transition(
            application_id=app.pk, action="record_payment", actor=cast.reviewer, payment_proof=fake
        )
    app.refresh_from_db()
    assert (app.state, app.paid_at) == ("awaiting_payment", None)


def test_the_owner_sees_the_invoice_on_the_application_page(cast: f.Cast) -> None:
    from django.test import Client

    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.owner)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert app.invoice_reference in page
    assert "Rp 650.000" in page


def test_the_lph_audit_report_is_uploaded_through_the_api(api_as: Any, cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_examination", cast)
    response = api_as(cast.reviewer).post(
        f"/api/v1/applications/{app.pk}/transitions/",
        {"action": "record_audit", "audit_report": f.pdf("audit.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "fatwa"
    app.refresh_from_db()
    assert app.lph_name == app.lph.name and app.audit_report.name.endswith(".pdf")
    assert app.due_on is not None  # the regular fatwa session: 3 working days
