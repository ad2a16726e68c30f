"""Certificates are numbered inside the issue transition, once, and rendered to a real PDF by the Celery task."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from certification import services, tasks
from certification.certificates.services import certificate_number
from certification.models import Application, Certificate, CertificateCounter, CertificateEvent
from core.errors import DomainError
from tests.certification import factories as f
from tests.conftest import national
from tests.pdftools import pdf_page_count, pdf_page_image, pdf_text, qr_codes


@pytest.fixture(autouse=True)
def _issuing_authority(settings: Any) -> None:
    """These tests are about platform mode: a deployment run by the issuing authority numbers its own certificates
    (the default, CERTIFICATE_ISSUER=bpjph, records BPJPH's: tests/certification/test_issued_by_bpjph.py)."""
    settings.CERTIFICATE_ISSUER = "platform"


def _text(path: str) -> str:
    return pdf_text(path)


def test_issuing_an_application_creates_one_numbered_certificate_with_snapshots(cast: f.Cast) -> None:
    app = f.issued(cast, products=2)
    certificate = Certificate.objects.get(application=app)
    month_year = timezone.localtime(certificate.issued_at).strftime("%m%y")
    assert certificate.number == f"ID1811000000001{month_year}"
    assert re.fullmatch(r"ID\d{17}", certificate.number)
    assert certificate.status == "valid"
    assert len(certificate.token) >= 32
    assert certificate.business_name == app.business.name
    assert certificate.nib == app.business.nib
    assert certificate.region_name == app.business.region.name
    assert certificate.product_names == ["Keripik rasa 01", "Keripik rasa 02"]
    assert certificate.fatwa_number == "KF-2026/001"
    assert CertificateCounter.objects.get(province_code="18").last_value == 1
    assert list(CertificateEvent.objects.filter(certificate=certificate).values_list("action", flat=True)) == [
        "issue",
        "render_pdf",
    ]


def test_numbers_follow_each_other_per_province(cast: f.Cast) -> None:
    first = f.issued(cast)
    second = f.issued(cast)
    national(cast.reviewer), national(cast.pph)  # Lampung's staff may not act on a case of Jawa Timur otherwise
    other = f.issued(cast, b=f.business(cast.owner, region_code="3578"))
    numbers = [Certificate.objects.get(application=a).number for a in (first, second, other)]
    assert [n[2:4] for n in numbers] == ["18", "18", "35"]
    assert [int(n[6:15]) for n in numbers] == [1, 2, 1]


def test_the_number_format_uses_the_configured_prefix(settings: Any) -> None:
    settings.CERTIFICATE_PREFIX = "ID"
    when = timezone.make_aware(timezone.datetime(2026, 11, 5, 10, 0))
    assert certificate_number(province_code="18", sequence=1, when=when) == "ID18110000000011126"


def test_a_failed_issue_rolls_its_number_back(cast: f.Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "issuance", cast)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise DomainError("clock broken")

    monkeypatch.setattr(services.clock, "advance", broken)
    with pytest.raises(DomainError):
        services.application_transition(application_id=app.pk, action="issue", actor=cast.reviewer)
    monkeypatch.undo()
    app.refresh_from_db()
    assert app.state == "issuance"
    assert not Certificate.objects.exists()
    assert CertificateCounter.objects.filter(last_value__gt=0).count() == 0
    services.application_transition(application_id=app.pk, action="issue", actor=cast.reviewer)
    assert int(Certificate.objects.get(application=app).number[6:15]) == 1


def test_the_pdf_shows_the_number_the_business_and_the_products(cast: f.Cast) -> None:
    app = f.issued(cast, products=3)
    certificate = Certificate.objects.get(application=app)
    assert certificate.pdf.name.startswith("certificates/")
    assert certificate.pdf_rendered_at is not None
    text = _text(certificate.pdf.path)
    assert certificate.number in text
    assert certificate.business_name in text
    for name in certificate.product_names:
        assert name in text
    assert "SERTIFIKAT HALAL" in text and "HALAL CERTIFICATE" in text
    assert "Pasal 42" in text


def test_many_products_continue_on_a_second_page(cast: f.Cast) -> None:
    app = f.issued(cast, products=60)
    certificate = Certificate.objects.get(application=app)
    pages = pdf_page_count(certificate.pdf.path)
    assert pages >= 2
    text = _text(certificate.pdf.path)
    assert "Keripik rasa 60" in text and "Keripik rasa 01" in text


def test_the_qr_code_on_the_rendered_page_opens_the_verification_url(cast: f.Cast, tmp_path: Path) -> None:
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    page = pdf_page_image(certificate.pdf.path, dpi=150)
    assert page.getextrema() != ((255, 255), (255, 255), (255, 255))  # not a blank page
    assert qr_codes(page) == [f"{settings.SITE_URL}/verify/{certificate.token}/"]


def test_running_the_pdf_task_twice_leaves_one_certificate_and_one_file(cast: f.Cast) -> None:
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    name = certificate.pdf.name
    mtime = Path(certificate.pdf.path).stat().st_mtime_ns
    files_before = sorted(p.name for p in Path(certificate.pdf.path).parent.iterdir())
    assert tasks.certificate_render_pdf.delay(certificate.pk).get() == name
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert Path(certificate.pdf.path).stat().st_mtime_ns == mtime
    assert sorted(p.name for p in Path(certificate.pdf.path).parent.iterdir()) == files_before
    assert Certificate.objects.filter(application=app).count() == 1
    assert CertificateEvent.objects.filter(certificate=certificate, action="render_pdf").count() == 1


def test_the_pdf_task_retries_transient_errors() -> None:
    task = tasks.certificate_render_pdf
    assert OSError in task.autoretry_for
    assert task.max_retries == 5 and task.retry_backoff


def test_an_application_cannot_be_issued_twice(cast: f.Cast) -> None:
    app = f.issued(cast)
    with pytest.raises(DomainError) as error:
        services.application_transition(application_id=app.pk, action="issue", actor=cast.reviewer)
    assert "not possible" in str(error.value)
    assert Certificate.objects.filter(application=app).count() == 1
    assert Application.objects.get(pk=app.pk).state == "issued"


def test_certificate_pdf_bytes_renders_without_storing_a_file(cast: f.Cast) -> None:
    from certification.certificates.services import certificate_pdf_bytes

    certificate = Certificate.objects.get(application=f.issued(cast))
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_rendered_at=None)
    certificate.refresh_from_db()
    assert certificate_pdf_bytes(certificate).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert not certificate.pdf
