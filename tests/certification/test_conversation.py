"""The conversation on a case: owner, assistant and office write; internal notes never reach the owner (page,
file, notification by any channel, API); each message tells the other side."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.models import Application, CaseMessage
from core.models import Delivery, Notification, User
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(alice: User, rina: User, pat: User) -> Application:
    f.national_quota(places=10)
    alice.phone, alice.whatsapp_verified_at = "081234567890", timezone.now()
    alice.save(update_fields=["phone", "whatsapp_verified_at"])
    return f.drive(f.draft(alice, "self_declare"), "pph_verification", f.Cast(owner=alice, reviewer=rina, pph=pat))


def _client(user: User, language: str = "id") -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language})
    return client


def _post(user: User, application: Application, **data: Any) -> Any:
    url = reverse("certification:case-message", args=[application.pk])
    return _client(user).post(url, data, follow=True)


def test_the_owner_asks_and_the_office_side_is_told(
    application: Application, alice: User, rina: User, pat: User
) -> None:
    response = _post(alice, application, body="Apakah foto dapur perlu dari dua sisi?")
    assert "Pesan Anda terkirim." in response.content.decode()
    assert "Apakah foto dapur perlu dari dua sisi?" in response.content.decode()  # on the owner's page
    told = set(Notification.objects.filter(kind="case_message").values_list("recipient__email", flat=True))
    assert told == {rina.email, pat.email}
    staff_page = _client(rina).get(reverse("certification:case", args=[application.pk])).content.decode()
    assert "Apakah foto dapur perlu dari dua sisi?" in staff_page


def test_the_reviewer_answers_and_the_owner_sees_it_in_the_inbox_and_on_the_case(
    application: Application, alice: User, rina: User
) -> None:
    _post(rina, application, body="Ya, dari dua sisi.")
    notification = Notification.objects.get(recipient=alice, kind="case_message")
    assert notification.link == reverse("certification:owner-application", args=[application.pk]) + "#conversation"
    inbox = _client(alice).get(reverse("inbox")).content.decode()
    assert f"Permohonan #{application.pk}: pesan dari" in inbox
    page = _client(alice).get(reverse("certification:owner-application", args=[application.pk])).content.decode()
    assert "Ya, dari dua sisi." in page
    assert set(notification.deliveries.values_list("channel", flat=True)) == {"email"} | (
        {"whatsapp"} if Delivery.objects.filter(channel="whatsapp").exists() else set()
    )


def test_an_internal_note_never_reaches_the_owner(
    application: Application,
    alice: User,
    rina: User,
    pat: User,
    api_as: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    secret = "Catatan internal: cek ulang NIB"
    pdf = SimpleUploadedFile("note.pdf", f.PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        _post(rina, application, body=secret, internal="1", attachment=pdf)
    note = CaseMessage.objects.get(internal=True)
    # no notification, no delivery, no e-mail to the owner
    assert not Notification.objects.filter(recipient=alice).exists()
    assert not Delivery.objects.filter(address__icontains=alice.email).exists()
    assert mailoutbox and all(alice.email not in message.to for message in mailoutbox)
    assert [message.to for message in mailoutbox if secret in message.body] == [[pat.email]]  # the office side
    assert Notification.objects.filter(recipient=pat, kind="case_note").exists()
    # not on the owner's page, not as a file, not in the API
    owner = _client(alice)
    assert secret not in owner.get(reverse("certification:owner-application", args=[application.pk])).content.decode()
    file_url = reverse("certification:case-message-file", args=[application.pk, note.pk])
    assert owner.get(file_url).status_code == 404
    assert _client(rina).get(file_url).status_code == 200
    for name in ("api-application", "api-application-events"):
        body = api_as(alice).get(reverse(name, args=[application.pk])).content.decode()
        assert secret not in body
    # the office sees it, marked
    staff_page = _client(rina, "en").get(reverse("certification:case", args=[application.pk])).content.decode()
    assert secret in staff_page and "Internal note" in staff_page


def test_an_owner_cannot_write_an_internal_note(application: Application, alice: User) -> None:
    response = _post(alice, application, body="rahasia", internal="1")
    assert "Hanya kantor yang dapat menulis catatan internal." in response.content.decode()
    assert not CaseMessage.objects.exists() and not Notification.objects.exists()


def test_an_empty_message_is_refused_and_nothing_is_written(application: Application, alice: User) -> None:
    response = _post(alice, application, body="   ")
    assert "Tulis pesan atau lampirkan berkas." in response.content.decode()
    assert not CaseMessage.objects.exists()


def test_a_file_that_is_not_a_pdf_or_image_is_refused(application: Application, alice: User) -> None:
    fake = SimpleUploadedFile("surat.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = _post(alice, application, body="lihat lampiran", attachment=fake)
    assert "PDF" in response.content.decode()
    assert not CaseMessage.objects.exists() and not Notification.objects.exists()


def test_someone_elses_case_answers_404_and_nothing_is_written(application: Application, bob: User) -> None:
    url = reverse("certification:case-message", args=[application.pk])
    assert _client(bob).post(url, {"body": "halo"}).status_code == 404
    assert not CaseMessage.objects.exists()


def test_messages_show_in_the_timeline_beside_the_events(application: Application, alice: User) -> None:
    _post(alice, application, body="Pertanyaan tentang jadwal")
    page = _client(alice).get(reverse("certification:owner-application", args=[application.pk])).content.decode()
    timeline = page[page.index('class="timeline"') :]
    assert "Pertanyaan tentang jadwal" in timeline
