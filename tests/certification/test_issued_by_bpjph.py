"""CERTIFICATE_ISSUER=bpjph: a facilitating office records BPJPH's certificate instead of issuing its own (issue 17)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from certification import services
from certification.models import Application, Certificate, CertificateCounter
from core.errors import DomainError
from tests.certification import factories as f
from tests.pdftools import pdf_image_count, pdf_text

OFFICIAL = "ID18110000123450526"


@pytest.fixture
def bpjph(settings: Any, tmp_path: Any) -> None:
    settings.CERTIFICATE_ISSUER = "bpjph"
    settings.MEDIA_ROOT = tmp_path / "media"


def _text(path: str) -> str:
    return pdf_text(path)


def _to_issuance(cast: f.Cast) -> Application:
    app = f.draft(cast.owner, "self_declare")
    with translation.override("en"), pytest.raises(DomainError, match="registration number SIHALAL"):
        services.application_transition(application_id=app.pk, action="submit", actor=cast.owner)
    app.refresh_from_db()
    assert app.state == "draft" and app.sihalal_registration == ""
    services.application_transition(
        application_id=app.pk, action="submit", actor=cast.owner, sihalal_registration="SH2026-1-000123"
    )
    app.refresh_from_db()
    for action in ("assign_pph", "pph_validate", "verify", "declare_halal"):
        actor = f.actor_for(action, app.state, cast)
        if action == "pph_validate":
            f.verify_all(app, cast.pph)
        services.application_transition(
            application_id=app.pk, action=action, actor=actor, **f.payload_for(action, cast)
        )
    app.refresh_from_db()
    assert (app.state, app.sihalal_registration) == ("issuance", "SH2026-1-000123")
    return app


def _issue(app: Application, cast: f.Cast, **payload: Any) -> Application:
    return services.application_transition(application_id=app.pk, action="issue", actor=cast.reviewer, **payload)


def test_the_whole_route_under_bpjph_records_the_official_certificate_and_numbers_nothing(
    bpjph: None, cast: f.Cast, client: Any
) -> None:
    app = _to_issuance(cast)
    today = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        _issue(
            app,
            cast,
            official_number=OFFICIAL,
            official_date=today,
            official_pdf=f.pdf("sertifikat-bpjph.pdf"),
        )
    certificate = Certificate.objects.get(application=app)
    assert (certificate.number, certificate.issuer) == (OFFICIAL, "bpjph")
    assert timezone.localtime(certificate.issued_at).date() == today
    assert CertificateCounter.objects.count() == 0  # no platform number was taken
    assert certificate.official_pdf and certificate.official_pdf.open("rb").read().startswith(b"%PDF")
    text = _text(certificate.pdf.path)
    assert "CATATAN FASILITASI SERTIFIKASI HALAL" in text and OFFICIAL in text and "BPJPH" in text
    assert "SH2026-1-000123" in text
    flat = " ".join(text.split())
    assert "Sertifikat Halal BPJPH bernomor di atas berlaku" in flat and "Sertifikat Halal ini berlaku" not in flat
    page = client.get(reverse("certification:verify", args=[certificate.token]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert OFFICIAL in body and 'id="recorded-from-bpjph"' in body
    client.force_login(cast.owner)
    official = client.get(reverse("api-certificate-pdf", args=[OFFICIAL]) + "?official=1")
    assert official.status_code == 200 and "sertifikat-halal-bpjph" in official["Content-Disposition"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"official_number": "12345", "official_date": "today", "official_pdf": "pdf"}, "17 digits"),
        ({"official_number": OFFICIAL, "official_date": "tomorrow", "official_pdf": "pdf"}, "cannot be in the future"),
        ({"official_number": OFFICIAL, "official_date": "today"}, "Attach the certificate PDF"),
        ({"official_number": OFFICIAL, "official_date": "today", "official_pdf": "png"}, "must be the PDF"),
        ({"official_number": OFFICIAL, "official_pdf": "pdf"}, "Enter the date BPJPH issued"),
    ],
)
def test_bad_official_certificate_input_is_refused_and_writes_nothing(
    bpjph: None, cast: f.Cast, payload: dict[str, str], message: str
) -> None:
    app = _to_issuance(cast)
    today = timezone.localdate()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    values: dict[str, Any] = {
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "pdf": f.pdf(),
        "png": SimpleUploadedFile("c.pdf", png, content_type="application/pdf"),
    }
    resolved = {key: values.get(value, value) for key, value in payload.items()}
    with translation.override("en"), pytest.raises(DomainError, match=message):
        _issue(app, cast, **resolved)
    app.refresh_from_db()
    assert app.state == "issuance" and not Certificate.objects.exists()


def test_an_official_number_already_recorded_is_refused(bpjph: None, cast: f.Cast, alice: Any) -> None:
    first = _to_issuance(cast)
    _issue(first, cast, official_number=OFFICIAL, official_date=timezone.localdate(), official_pdf=f.pdf())
    second = _to_issuance(cast)
    with translation.override("en"), pytest.raises(DomainError, match="already recorded"):
        _issue(second, cast, official_number=OFFICIAL, official_date=timezone.localdate(), official_pdf=f.pdf())
    assert Certificate.objects.count() == 1


def test_the_issue_form_asks_for_the_official_certificate_only_under_bpjph(
    cast: f.Cast, settings: Any, client: Any
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "issuance", cast)
    client.force_login(cast.reviewer)
    settings.CERTIFICATE_ISSUER = "platform"
    assert 'name="official_number"' not in client.get(reverse("certification:case", args=[app.pk])).content.decode()
    settings.CERTIFICATE_ISSUER = "bpjph"
    page = client.get(reverse("certification:case", args=[app.pk])).content.decode()
    assert 'name="official_number"' in page and 'name="official_pdf"' in page


def test_the_default_deployment_is_a_facilitating_office() -> None:
    from django.conf import settings as live

    assert live.CERTIFICATE_ISSUER == "bpjph"


def test_the_verification_page_and_json_name_bpjph_as_the_issuer(bpjph: None, cast: f.Cast, client: Any) -> None:
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    assert certificate.issuer_name == "Badan Penyelenggara Jaminan Produk Halal (BPJPH)" and certificate.signatory == ""
    page = client.get(reverse("certification:verify", args=[certificate.token]), HTTP_ACCEPT_LANGUAGE="id")
    body = page.content.decode()
    assert 'id="recorded-from-bpjph"' in body and "Badan Penyelenggara Jaminan Produk Halal (BPJPH)" in body
    answer = client.get(reverse("api-public-certificate", args=[certificate.number])).json()
    assert answer["issuer"] == "bpjph" and answer["recorded_from_bpjph"] is True


def test_platform_mode_names_the_issuing_authority_with_logo_and_signatory(
    cast: f.Cast, settings: Any, tmp_path: Any, client: Any
) -> None:
    """A deployment run by the issuing authority prints its own certificate, under its name, logo and signatory."""
    import segno

    logo = tmp_path / "logo.png"
    segno.make("logo").save(str(logo), scale=4)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CERTIFICATE_ISSUER = "platform"
    settings.CERTIFICATE_AUTHORITY_NAME = "Badan Penyelenggara Jaminan Produk Halal (uji)"
    settings.CERTIFICATE_AUTHORITY_LOGO = str(logo)
    settings.CERTIFICATE_AUTHORITY_SIGNATORY = "Dr. Siti Aminah"
    settings.CERTIFICATE_AUTHORITY_SIGNATORY_TITLE = "Kepala Pusat Registrasi"
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    assert (certificate.issuer, certificate.issuer_name) == (
        "platform",
        "Badan Penyelenggara Jaminan Produk Halal (uji)",
    )
    assert certificate.signatory == "Dr. Siti Aminah, Kepala Pusat Registrasi"
    flat = " ".join(_text(certificate.pdf.path).split())
    assert (
        "SERTIFIKAT HALAL" in flat
        and "Diterbitkan oleh / Issued by Badan Penyelenggara Jaminan Produk Halal (uji)" in flat
    )
    assert "Dr. Siti Aminah, Kepala Pusat Registrasi" in flat and "CATATAN FASILITASI" not in flat
    assert pdf_image_count(certificate.pdf.path) >= 2  # the QR code and the authority's logo
    answer = client.get(reverse("api-public-certificate", args=[certificate.number])).json()
    assert answer["issuer"] == "platform" and answer["recorded_from_bpjph"] is False
    assert answer["issuer_name"] == "Badan Penyelenggara Jaminan Produk Halal (uji)"


def test_a_missing_authority_logo_is_a_configuration_error_not_a_silent_blank(
    cast: f.Cast, settings: Any, tmp_path: Any
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from certification.certificates.services import authority_logo

    settings.CERTIFICATE_AUTHORITY_LOGO = str(tmp_path / "absent.png")
    with pytest.raises(ImproperlyConfigured, match="PNG or JPEG"):
        authority_logo()


def test_the_api_records_bpjphs_certificate_at_the_issue_step(bpjph: None, cast: f.Cast, api_as: Any) -> None:
    app = _to_issuance(cast)
    number = f.official_number()
    response = api_as(cast.reviewer).post(
        f"/api/v1/applications/{app.pk}/transitions/",
        {
            "action": "issue",
            "official_number": number,
            "official_date": timezone.localdate().isoformat(),
            "official_pdf": f.pdf("sihalal.pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    certificate = Certificate.objects.get(application=app)
    assert (certificate.number, certificate.issuer) == (number, "bpjph") and certificate.official_pdf
