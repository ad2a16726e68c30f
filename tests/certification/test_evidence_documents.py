"""Documents cannot vanish: a document a submitted case rests on is never deleted or overwritten, only replaced for
the next submission; deleting anything asks first; the files of closed cases are kept for the retention period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from applicants.models import Document, Facility, Region
from applicants.selectors import evidence_holds
from applicants.services import document_replace
from certification import services
from certification.models import Application, Certificate
from core.errors import Conflict
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "id") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _nib(app: Application) -> Document:
    return Document.objects.get(business=app.business, kind="nib", retired_at__isnull=True)


def test_deleting_a_document_of_a_submitted_case_is_refused_on_the_page_in_indonesian(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    document = _nib(app)
    url = reverse("applicants:document_delete", args=[app.business_id, document.pk])
    client = _client(cast.owner)
    asked = client.get(url).content.decode()
    assert 'id="delete-refused"' in asked and f"menjadi bukti kasus #{app.pk}" in asked
    assert 'id="confirm-delete"' not in asked and "Unggah pengganti" in asked
    response = client.post(url)
    assert response.status_code == 409
    assert "tidak dapat dihapus" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists() and document.file.storage.exists(document.file.name)


def test_deleting_a_document_of_a_submitted_case_through_the_api_answers_409_in_indonesian(
    cast: f.Cast, api_as: Any
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "issuance", cast)
    app = services.application_transition(
        application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
    )
    document = _nib(app)
    client = api_as(cast.owner)
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    response = client.delete(f"/api/v1/businesses/{app.business_id}/documents/{document.pk}/")
    assert response.status_code == 409
    number = Certificate.objects.get(application=app).number
    assert f"menjadi bukti sertifikat {number} dari kasus #{app.pk}" in response.json()["detail"]
    assert Document.objects.filter(pk=document.pk).exists()


def test_replacing_a_document_keeps_the_old_one_with_the_case_and_gives_drafts_the_new_one(cast: f.Cast) -> None:
    submitted = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    old = _nib(submitted)
    product = f.product(submitted.business, name="Produk draf")
    draft = services.application_create(
        actor=cast.owner,
        business_id=submitted.business_id,
        pathway="self_declare",
        product_ids=[product.pk],
        document_ids=[old.pk],
    )
    client = _client(cast.owner)
    url = reverse("applicants:document_replace", args=[submitted.business_id, old.pk])
    response = client.post(url, {"file": f.pdf("nib-2026.pdf")})
    assert response.status_code == 302
    old.refresh_from_db()
    new = old.replaced_by
    assert old.retired_at is not None and new is not None and new.original_name == "nib-2026.pdf"
    assert old.file.storage.exists(old.file.name)  # the file the case rests on, as it was
    assert list(draft.documents.all()) == [new]
    business_page = client.get(reverse("applicants:business_detail", args=[submitted.business_id])).content.decode()
    assert "nib-2026.pdf" in business_page and f"/documents/{old.pk}/replace/" not in business_page
    case_page = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert f'href="{reverse("applicants:document_download", args=[old.pk])}"' in case_page
    with pytest.raises(Conflict):
        document_replace(actor=cast.owner, document=old, file=f.pdf("again.pdf"))


def test_a_document_no_case_rests_on_is_deleted_after_confirmation(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")  # a draft holds nothing
    document = _nib(draft)
    url = reverse("applicants:document_delete", args=[draft.business_id, document.pk])
    client = _client(cast.owner)
    asked = client.get(url)
    assert asked.status_code == 200 and 'id="confirm-delete"' in asked.content.decode()
    assert "Tindakan ini tidak dapat dibatalkan." in asked.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()  # asking deletes nothing
    assert client.post(url).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not draft.documents.filter(pk=document.pk).exists()


def test_deleting_a_facility_asks_first_and_the_evidence_keeps_it(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    facility = Facility.objects.create(
        business=draft.business, kind="production", name="Dapur", address="Jl. Dapur 1", region=Region.objects.first()
    )
    app = f.drive(draft, "submitted", cast)
    url = reverse("applicants:facility_delete", args=[app.business_id, facility.pk])
    client = _client(cast.owner)
    assert 'id="confirm-delete"' in client.get(url).content.decode()
    assert Facility.objects.filter(pk=facility.pk).exists()
    assert client.post(url).status_code == 302
    assert not Facility.objects.filter(pk=facility.pk).exists()
    assert app.evidence.content["facilities"][0]["name"] == "Dapur"


def test_the_files_of_a_revoked_certificate_are_kept_for_the_retention_period(cast: f.Cast, settings: Any) -> None:
    settings.EVIDENCE_RETENTION_YEARS = 10
    app = f.issued(cast)
    document = _nib(app)
    certificate = Certificate.objects.get(application=app)
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_at=timezone.now() - timedelta(days=365 * 2)
    )
    hold = evidence_holds(document)
    assert hold and "are kept until" in hold[0]
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now() - timedelta(days=365 * 11))
    assert evidence_holds(document) == []


def test_the_files_of_a_rejected_case_are_kept_for_the_retention_period(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "verification", cast)
    services.application_transition(application_id=app.pk, action="reject", actor=cast.reviewer, reason="Babi.")
    hold = evidence_holds(_nib(app))
    assert hold and "the retention period" in hold[0]


def test_the_admin_site_cannot_delete_a_document_a_case_rests_on(cast: f.Cast, ayu: Any) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    request = RequestFactory().get("/admin/")
    ayu.is_superuser = True  # every model permission: only the evidence's hold may say no
    request.user = ayu
    admin = site._registry[Document]
    assert admin.has_delete_permission(request, _nib(app)) is False
    other = f.documents(f.business(cast.owner))[0]
    assert admin.has_delete_permission(request, other) is True
    assert "file" in admin.get_readonly_fields(request, other)  # never swapped in place, not even here


def test_replacing_a_document_already_replaced_answers_409_in_indonesian_and_writes_nothing(
    cast: f.Cast, api_as: Any
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    old = _nib(app)
    client = api_as(cast.owner)
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    url = f"/api/v1/businesses/{app.business_id}/documents/{old.pk}/replace/"
    first = client.post(url, {"file": f.pdf("nib-2.pdf")}, format="multipart")
    assert first.status_code == 201 and first.json()["original_name"] == "nib-2.pdf"
    count = Document.objects.count()
    again = client.post(url, {"file": f.pdf("nib-3.pdf")}, format="multipart")
    assert again.status_code == 409
    assert again.json()["detail"] == "Dokumen ini sudah diganti; gantilah versi terbarunya."
    assert Document.objects.count() == count


def test_a_replacement_that_is_not_a_document_is_refused_in_indonesian_and_the_old_one_stays(cast: f.Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    old = _nib(app)
    count = Document.objects.count()
    response = _client(cast.owner).post(
        reverse("applicants:document_replace", args=[app.business_id, old.pk]),
        {"file": SimpleUploadedFile("nib.pdf", b"<html>bukan pdf</html>", content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "Hanya berkas PDF, JPEG dan PNG" in response.content.decode()
    old.refresh_from_db()
    assert old.retired_at is None and Document.objects.count() == count
