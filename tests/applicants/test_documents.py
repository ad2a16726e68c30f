from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from applicants.models import Document
from applicants.services import document_delete, document_upload
from core.errors import DomainError
from core.files.uploads import validate_upload
from tests.applicants.factories import HTML, PDF, PNG, BusinessFactory, case_for, document

pytestmark = pytest.mark.django_db


def test_validate_upload_sniffs_the_content_not_the_name() -> None:
    assert validate_upload(SimpleUploadedFile("nib.pdf", PDF)) == "application/pdf"
    assert validate_upload(SimpleUploadedFile("foto.pdf", PNG)) == "image/png"
    with pytest.raises(DomainError, match="Hanya berkas PDF, JPEG dan PNG"):
        validate_upload(SimpleUploadedFile("nib.pdf", HTML))


@pytest.mark.parametrize("name", ["../../etc/nib.pdf", "folder/nib.pdf", "C:\\Users\\nib.pdf", "..nib.pdf"])
def test_a_file_name_with_a_path_is_refused_and_nothing_is_stored(alice: Any, name: str) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="tanpa jalur folder"):
        document_upload(actor=alice, business=business, kind="nib", file=ContentFile(PDF, name=name))
    assert not Document.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=100)
def test_an_upload_over_the_limit_is_refused(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="Berkas terlalu besar"):
        document_upload(actor=alice, business=business, kind="nib", file=SimpleUploadedFile("a.pdf", PDF + b" " * 100))
    assert not Document.objects.exists()


def test_a_pdf_that_is_really_html_is_refused_on_the_page(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    client.force_login(alice)
    response = client.post(
        reverse("applicants:document_new", args=[business.pk]),
        {"kind": "nib", "file": SimpleUploadedFile("nib.pdf", HTML, content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "Hanya berkas PDF, JPEG dan PNG yang diterima" in response.content.decode()
    assert not Document.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=100)
def test_an_upload_over_the_limit_is_refused_on_the_page(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    client.force_login(alice)
    response = client.post(
        reverse("applicants:document_new", args=[business.pk]),
        {"kind": "nib", "file": SimpleUploadedFile("nib.pdf", PDF + b" " * 200)},
    )
    assert "Berkas terlalu besar" in response.content.decode()
    assert not Document.objects.exists()


def test_an_owner_uploads_a_document_stored_under_a_random_name(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    client.force_login(alice)
    response = client.post(
        reverse("applicants:document_new", args=[business.pk]),
        {"kind": "nib", "file": SimpleUploadedFile("Sertifikat NIB.pdf", PDF)},
    )
    assert response.status_code == 302
    stored = Document.objects.get()
    assert stored.original_name == "Sertifikat NIB.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.uploaded_by == alice
    assert stored.size == len(PDF)
    assert "Sertifikat" not in stored.file.name
    assert stored.file.name.startswith(f"documents/{business.pk}/")


@pytest.mark.parametrize("actor", ["alice", "pat", "rina", "oscar", "ayu"])
def test_the_owner_staff_and_pph_download_with_safe_headers(
    request: pytest.FixtureRequest, alice: Any, actor: str
) -> None:
    doc = document(BusinessFactory(owner=alice), name="nib.pdf")
    if actor == "pat":  # an assistant reads only the businesses of cases assigned to them
        case_for(doc.business, pph=request.getfixturevalue(actor))
    client = Client()
    client.force_login(request.getfixturevalue(actor))
    response = client.get(reverse("applicants:document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="nib.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_an_assistant_cannot_download_a_document_of_a_business_they_do_not_assist(alice: Any, pat: Any) -> None:
    doc = document(BusinessFactory(owner=alice), name="nib.pdf")
    case_for(doc.business)
    client = Client()
    client.force_login(pat)
    assert client.get(reverse("applicants:document_download", args=[doc.pk])).status_code == 404


def test_another_owner_cannot_download_and_anonymous_is_sent_to_login(alice: Any, bob: Any) -> None:
    doc = document(BusinessFactory(owner=bob))
    url = reverse("applicants:document_download", args=[doc.pk])
    client = Client()
    client.force_login(alice)
    assert client.get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_another_owner_cannot_delete_a_document(alice: Any, bob: Any, client: Client) -> None:
    business = BusinessFactory(owner=bob)
    doc = document(business)
    client.force_login(alice)
    assert client.post(reverse("applicants:document_delete", args=[business.pk, doc.pk])).status_code == 404
    assert Document.objects.filter(pk=doc.pk).exists()
    with pytest.raises(DomainError, match="Hanya pemilik"):
        document_delete(actor=alice, document=doc)
    assert Document.objects.filter(pk=doc.pk).exists()


def test_the_owner_deletes_a_document_and_its_file(
    alice: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    business = BusinessFactory(owner=alice)
    doc = document(business)
    storage, name = doc.file.storage, doc.file.name
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applicants:document_delete", args=[business.pk, doc.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)
