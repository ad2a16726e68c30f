"""Announcements and questions on a training program: the officer's announcements reach every participant; an
owner's question reaches the officer and stays between the asker and the office; bad input writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from core.models import Notification, User
from tests.training.factories import BusinessFactory, EnrollmentFactory, ProgramFactory
from training.messaging import program_message_post
from training.models import Program, ProgramMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def program(oscar: User, alice: User, bob: User) -> Program:
    """Alice's and Bob's businesses take part in the program; Oscar is its officer."""
    program = ProgramFactory(responsible_officer=oscar, title="Pemasaran Digital")
    EnrollmentFactory(program=program, business=BusinessFactory(owner=alice, name="Keripik Alice"))
    EnrollmentFactory(program=program, business=BusinessFactory(owner=bob, name="Kopi Bob"))
    return program


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "id"})
    return client


def _post(user: User, program: Program, **data: Any) -> Any:
    return _client(user).post(reverse("training:program-message", args=[program.pk]), data, follow=True)


def _my_trainings(user: User) -> str:
    return _client(user).get(reverse("training:my-trainings")).content.decode()


def test_the_officer_announces_and_every_participant_is_told_and_reads_it(
    program: Program, oscar: User, alice: User, bob: User
) -> None:
    response = _post(oscar, program, body="Bawa laptop ke sesi kedua.")
    assert response.redirect_chain[-1][0].endswith("#messages")
    assert "Pesan Anda terkirim." in response.content.decode()
    assert "Bawa laptop ke sesi kedua." in response.content.decode()  # on the program page
    message = ProgramMessage.objects.get()
    assert message.kind == ProgramMessage.Kind.ANNOUNCEMENT
    told = set(Notification.objects.filter(kind="training_announcement").values_list("recipient__email", flat=True))
    assert told == {alice.email, bob.email}
    notification = Notification.objects.get(recipient=alice)
    assert notification.link == reverse("training:my-trainings") + f"#program-{program.pk}-messages"
    assert "Bawa laptop ke sesi kedua." in _my_trainings(alice)
    assert "Bawa laptop ke sesi kedua." in _my_trainings(bob)
    inbox = _client(alice).get(reverse("inbox")).content.decode()
    assert "Pelatihan &quot;Pemasaran Digital&quot;: pengumuman dari Oscar Pratama" in inbox


def test_an_owner_asks_the_officer_is_told_and_the_other_participants_never_see_it(
    program: Program, oscar: User, alice: User, bob: User, rina: User
) -> None:
    response = _post(alice, program, body="Apakah ada sertifikat?")
    assert response.redirect_chain[-1][0].endswith(f"#program-{program.pk}-messages")
    assert "Pesan Anda terkirim." in response.content.decode()
    assert "Apakah ada sertifikat?" in response.content.decode()  # the asker reads her question
    assert ProgramMessage.objects.get().kind == ProgramMessage.Kind.QUESTION
    notification = Notification.objects.get(kind="training_question")
    assert notification.recipient == oscar
    assert notification.link == reverse("training:program-detail", args=[program.pk]) + "#messages"
    assert not Notification.objects.filter(recipient__in=[alice, bob]).exists()
    assert "Apakah ada sertifikat?" not in _my_trainings(bob)
    for staff in (oscar, rina):  # the office reads every question
        page = _client(staff).get(reverse("training:program-detail", args=[program.pk])).content.decode()
        assert "Apakah ada sertifikat?" in page


def test_the_officers_answer_is_an_announcement_to_all(program: Program, oscar: User, alice: User, bob: User) -> None:
    program_message_post(program=program, author=alice, body="Apakah ada sertifikat?")
    _post(oscar, program, body="Ya, semua peserta mendapat sertifikat.")
    assert "Ya, semua peserta mendapat sertifikat." in _my_trainings(bob)
    assert "Apakah ada sertifikat?" not in _my_trainings(bob)


def test_an_attachment_is_kept_and_only_those_who_read_the_message_download_it(
    program: Program, oscar: User, alice: User, bob: User, rina: User, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    question = program_message_post(
        program=program, author=alice, body="", attachment=SimpleUploadedFile("brosur.pdf", PDF)
    )
    announcement = program_message_post(
        program=program, author=oscar, body="Materi", attachment=SimpleUploadedFile("materi.pdf", PDF)
    )
    question_url = reverse("training:program-message-file", args=[program.pk, question.pk])
    announcement_url = reverse("training:program-message-file", args=[program.pk, announcement.pk])
    for user in (alice, oscar, rina):
        response = _client(user).get(question_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert _client(bob).get(question_url).status_code == 404  # another participant's question
    assert _client(bob).get(announcement_url).status_code == 200
    assert "[brosur.pdf]" in Notification.objects.get(kind="training_question").context["excerpt"]


# --- bad input: a clear Indonesian message and nothing written ---------------------------------------------------
def test_an_empty_message_is_refused(program: Program, alice: User, oscar: User) -> None:
    for user in (alice, oscar):
        response = _post(user, program, body="   ")
        assert "Tulis pesan atau lampirkan berkas." in response.content.decode()
    assert not ProgramMessage.objects.exists()
    assert not Notification.objects.exists()


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused(program: Program, alice: User) -> None:
    fake = SimpleUploadedFile("jadwal.pdf", b"<html><script>alert(1)</script></html>")
    response = _post(alice, program, body="Jadwal terlampir", attachment=fake)
    assert "Hanya berkas PDF, JPEG dan PNG yang diterima; isi berkas ini berjenis lain." in response.content.decode()
    assert "Pesan Anda terkirim." not in response.content.decode()
    assert not ProgramMessage.objects.exists()
    assert not Notification.objects.exists()


def test_an_owner_cannot_post_on_a_program_they_are_not_in(program: Program, oscar: User, make_user: Any) -> None:
    carol = make_user("carol@example.test", "owner", full_name="Carol")
    BusinessFactory(owner=carol)
    assert _post(carol, program, body="Boleh ikut?").status_code == 404
    with translation.override("id"), pytest.raises(DomainError) as refused:
        program_message_post(program=program, author=carol, body="Boleh ikut?")
    assert str(refused.value) == "Hanya petugas pelatihan ini dan pesertanya yang dapat menulis di sini."
    assert not ProgramMessage.objects.exists()
    assert not Notification.objects.exists()


def test_a_message_too_long_is_refused(program: Program, oscar: User) -> None:
    response = _post(oscar, program, body="x" * 4001)
    assert "Pesan terlalu panjang (paling banyak 4000 karakter)." in response.content.decode()
    assert not ProgramMessage.objects.exists()


# --- roles ----------------------------------------------------------------------------------------------------------
def test_reviewers_and_assistants_cannot_write(program: Program, rina: User, pat: User) -> None:
    for user in (rina, pat):
        assert (
            _client(user).post(reverse("training:program-message", args=[program.pk]), {"body": "x"}).status_code == 403
        )
    assert not ProgramMessage.objects.exists()


def test_an_admin_announces(program: Program, ayu: User, alice: User) -> None:
    _post(ayu, program, body="Tempat pindah ke aula.")
    assert ProgramMessage.objects.get().kind == ProgramMessage.Kind.ANNOUNCEMENT
    assert Notification.objects.filter(recipient=alice, kind="training_announcement").exists()


def test_the_reviewer_reads_but_gets_no_form(program: Program, rina: User) -> None:
    page = _client(rina).get(reverse("training:program-detail", args=[program.pk])).content.decode()
    assert 'id="messages"' in page
    assert reverse("training:program-message", args=[program.pk]) not in page
