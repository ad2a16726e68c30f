"""Downloading the PDF, revoking, renewing: who may, and what a refusal leaves behind (nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from certification import services
from certification.certificates.services import certificate_revoke
from certification.models import Application, Certificate, CertificateEvent
from core.errors import DomainError
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


def _certificate(cast: f.Cast, **kwargs: Any) -> Certificate:
    return Certificate.objects.get(application=f.issued(cast, **kwargs))


def _pdf_url(number: str) -> str:
    return reverse("api-certificate-pdf", args=[number])


def _unchanged(certificate: Certificate, events: int) -> None:
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert certificate.revoked_at is None and certificate.revocation_reason == "" and certificate.revoked_by is None
    assert CertificateEvent.objects.count() == events


# --- Download ---
def test_the_owner_downloads_the_pdf_as_an_attachment(cast: f.Cast, api_as: Any) -> None:
    certificate = _certificate(cast)
    response = api_as(cast.owner).get(_pdf_url(certificate.number))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert certificate.number in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["rina", "oscar", "ayu"])
def test_staff_download_any_certificate(cast: f.Cast, api_as: Any, request: pytest.FixtureRequest, who: str) -> None:
    certificate = _certificate(cast)
    assert api_as(request.getfixturevalue(who)).get(_pdf_url(certificate.number)).status_code == 200


def test_another_owner_gets_404_and_nothing_is_written(cast: f.Cast, api_as: Any, bob: Any) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    response = api_as(bob).get(_pdf_url(certificate.number))
    assert response.status_code == 404
    assert response.json()["detail"] == "Certificate not found."
    _unchanged(certificate, events)


def test_an_assistant_gets_404(cast: f.Cast, api_as: Any) -> None:
    certificate = _certificate(cast)
    assert api_as(cast.pph).get(_pdf_url(certificate.number)).status_code == 404


def test_anonymous_download_is_refused(cast: f.Cast, api_as: Any) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    assert api_as(None).get(_pdf_url(certificate.number)).status_code == 401
    _unchanged(certificate, events)


def test_a_pdf_not_rendered_yet_is_a_404_with_a_clear_message(cast: f.Cast, api_as: Any) -> None:
    certificate = _certificate(cast)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_rendered_at=None)
    response = api_as(cast.owner).get(_pdf_url(certificate.number))
    assert response.status_code == 404
    assert "still being prepared" in response.json()["detail"]


def test_the_owner_and_the_reviewer_pages_show_the_download_button(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast)
    client.force_login(cast.owner)
    html = client.get(reverse("certification:owner-application", args=[certificate.application_id])).content.decode()
    # The default mode: the office's facilitation record, and BPJPH's own certificate PDF.
    assert _pdf_url(certificate.number) in html and "Download the facilitation record" in html
    assert _pdf_url(certificate.number) + "?official=1" in html and "Download the official certificate" in html
    assert "Revoke the certificate" not in html
    client.force_login(cast.reviewer)
    html = client.get(reverse("certification:case", args=[certificate.application_id])).content.decode()
    assert _pdf_url(certificate.number) in html and "Revoke the certificate" in html


# --- Revocation ---
def test_a_revocation_without_reason_is_refused_and_nothing_is_written(cast: f.Cast) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    with pytest.raises(DomainError) as error:
        certificate_revoke(certificate=certificate, actor=cast.reviewer, reason="   ")
    assert str(error.value) == "Give the reason for revoking the certificate."
    _unchanged(certificate, events)


def test_an_owner_cannot_revoke(cast: f.Cast) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    with pytest.raises(DomainError) as error:
        certificate_revoke(certificate=certificate, actor=cast.owner, reason="I want to")
    assert "Only reviewers can revoke" in str(error.value)
    _unchanged(certificate, events)


def test_the_revoke_api_needs_a_reason(cast: f.Cast, api_as: Any) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    url = reverse("api-certificate-revoke", args=[certificate.number])
    response = api_as(cast.reviewer).post(url, {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["Give the reason for revoking the certificate."]
    _unchanged(certificate, events)
    assert api_as(cast.owner).post(url, {"reason": "x"}, format="json").status_code == 403
    _unchanged(certificate, events)


def test_the_revoke_api_revokes_and_logs(cast: f.Cast, api_as: Any) -> None:
    certificate = _certificate(cast)
    url = reverse("api-certificate-revoke", args=[certificate.number])
    response = api_as(cast.reviewer).post(url, {"reason": "Process changed without notice."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_by, certificate.revocation_reason) == (
        "revoked",
        cast.reviewer,
        "Process changed without notice.",
    )
    event = CertificateEvent.objects.get(certificate=certificate, action="revoke")
    assert (event.actor, event.note) == (cast.reviewer, "Process changed without notice.")
    again = api_as(cast.reviewer).post(url, {"reason": "Twice"}, format="json")
    assert again.status_code == 400 and "Only a valid certificate can be revoked" in again.json()["detail"]


def test_the_case_page_revokes_with_a_reason_and_refuses_without(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    url = reverse("certification:revoke", args=[certificate.application_id])
    client.force_login(cast.reviewer)
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason for revoking the certificate." in response.content.decode()
    _unchanged(certificate, events)
    response = client.post(url, {"reason": "Supplier certificate expired."}, follow=True)
    assert f"Certificate {certificate.number} revoked." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_an_owner_cannot_post_the_revoke_form(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    client.force_login(cast.owner)
    response = client.post(reverse("certification:revoke", args=[certificate.application_id]), {"reason": "x"})
    assert response.status_code == 403
    _unchanged(certificate, events)


# --- Renewal ---
def _expiring(certificate: Certificate) -> Certificate:
    """A four-year certificate from before UU 6/2023: the only kind with an expiry date, the only kind renewed."""
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=timezone.localdate() + timedelta(days=60))
    certificate.refresh_from_db()
    return certificate


def test_issuing_a_renewal_supersedes_the_old_certificate_in_the_same_transaction(cast: f.Cast) -> None:
    old = _expiring(_certificate(cast))
    renewal = f.issued(cast, b=old.application.business, previous_certificate_id=old.pk)
    new = Certificate.objects.get(application=renewal)
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == ("superseded", new)
    assert new.status == "valid" and new.number != old.number
    assert CertificateEvent.objects.filter(certificate=old, action="supersede", note=new.number).count() == 1


def test_a_certificate_without_an_expiry_date_is_not_renewed_and_nothing_is_written(cast: f.Cast) -> None:
    old = _certificate(cast)  # issued under UU 6/2023: valid while composition and process are unchanged
    count = Application.objects.count()
    b = old.application.business
    with translation.override("en"), pytest.raises(DomainError, match="has no expiry date") as error:
        services.application_create(
            actor=cast.owner,
            business_id=b.pk,
            pathway="self_declare",
            product_ids=[f.product(b, name="Baru").pk],
            previous_certificate_id=old.pk,
        )
    assert "product development" in str(error.value) and error.value.errors.get("previous_certificate")
    with translation.override("id"), pytest.raises(DomainError, match="tidak memiliki tanggal kedaluwarsa"):
        services.application_create(
            actor=cast.owner,
            business_id=b.pk,
            pathway="self_declare",
            product_ids=[f.product(b, name="Baru 2").pk],
            previous_certificate_id=old.pk,
        )
    assert Application.objects.count() == count


def test_a_renewal_must_name_a_valid_certificate_of_the_same_own_business(cast: f.Cast, bob: Any) -> None:
    old = _expiring(_certificate(cast))
    count = Application.objects.count()
    bobs = f.business(bob)
    f.documents(bobs)
    product = f.product(bobs)
    with pytest.raises(DomainError) as error:
        services.application_create(
            actor=bob,
            business_id=bobs.pk,
            pathway="self_declare",
            product_ids=[product.pk],
            previous_certificate_id=old.pk,
        )
    assert str(error.value) == "Choose a valid certificate of this business to renew."
    other = f.business(cast.owner)
    with pytest.raises(DomainError):
        services.application_create(
            actor=cast.owner,
            business_id=other.pk,
            pathway="self_declare",
            product_ids=[f.product(other).pk],
            previous_certificate_id=old.pk,
        )
    certificate_revoke(certificate=old, actor=cast.reviewer, reason="Revoked")
    with pytest.raises(DomainError):
        services.application_create(
            actor=cast.owner,
            business_id=old.application.business_id,
            pathway="self_declare",
            product_ids=[f.product(old.application.business, name="Baru").pk],
            previous_certificate_id=old.pk,
        )
    assert Application.objects.count() == count


def test_the_download_button_works_with_the_owners_session(cast: f.Cast, client: Client, bob: Any) -> None:
    certificate = _certificate(cast)
    client.force_login(cast.owner)
    response = client.get(_pdf_url(certificate.number))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(bob)
    assert client.get(_pdf_url(certificate.number)).status_code == 404


def test_an_owner_files_a_renewal_through_the_api(cast: f.Cast, api_as: Any) -> None:
    old = _expiring(_certificate(cast))
    business = old.application.business
    product = f.product(business, name="Keripik rasa baru")
    response = api_as(cast.owner).post(
        reverse("api-applications"),
        {"business": business.pk, "pathway": "self_declare", "products": [product.pk], "previous_certificate": old.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["previous_certificate"] == old.pk
    assert Application.objects.get(pk=response.json()["id"]).previous_certificate == old
