"""Officer and owner pages: roles, scoping (404), bulk forms, bad input shown on the page, query counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.training.factories import BusinessFactory, EnrollmentFactory, FollowUpFactory, ProgramFactory, program_with
from training.models import Enrollment, FollowUp, Program

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared(oscar: Any, alice: Any, bob: Any) -> dict[str, Any]:
    """One program with alice's and bob's businesses, and a program with bob's only."""
    program = ProgramFactory(responsible_officer=oscar, title="Digital Marketing Bandar Lampung")
    alice_business = BusinessFactory(owner=alice, name="Keripik Alice")
    bob_business = BusinessFactory(owner=bob, name="Kopi Bob")
    alice_enrollment = EnrollmentFactory(program=program, business=alice_business)
    bob_enrollment = EnrollmentFactory(program=program, business=bob_business)
    bobs_only = ProgramFactory(responsible_officer=oscar, title="Ekspor Bob")
    EnrollmentFactory(program=bobs_only, business=bob_business)
    alice_follow_up = FollowUpFactory(enrollment=alice_enrollment, outcome="Kunjungan Alice")
    bob_follow_up = FollowUpFactory(enrollment=bob_enrollment, outcome="Kunjungan Bob", done_on=date(2026, 1, 20))
    return {
        "program": program,
        "bobs_only": bobs_only,
        "alice_follow_up": alice_follow_up,
        "bob_follow_up": bob_follow_up,
    }


# --- roles -----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(shared: dict[str, Any]) -> None:
    response = Client().get(reverse("training:program-list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["program-create", "overdue", "program-detail", "attendance", "program-enroll"])
def test_owners_are_refused_officer_pages(alice: Any, shared: dict[str, Any], name: str) -> None:
    args = [shared["program"].pk] if name in {"program-detail", "attendance", "program-enroll"} else []
    assert client_for(alice).get(reverse(f"training:{name}", args=args)).status_code == 403


@pytest.mark.django_db
def test_reviewers_read_programs_but_cannot_change_them(rina: Any, shared: dict[str, Any]) -> None:
    client = client_for(rina)
    detail = client.get(reverse("training:program-detail", args=[shared["program"].pk]))
    assert detail.status_code == 200
    assert reverse("training:attendance", args=[shared["program"].pk]) not in detail.content.decode()
    assert client.get(reverse("training:program-create")).status_code == 403


@pytest.mark.django_db
def test_officers_are_refused_the_owner_page(oscar: Any) -> None:
    assert client_for(oscar).get(reverse("training:my-trainings")).status_code == 403


# --- owner pages -------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_owner_sees_her_trainings_and_follow_ups_but_not_bobs(alice: Any, shared: dict[str, Any]) -> None:
    body = client_for(alice).get(reverse("training:my-trainings")).content.decode()
    assert "Digital Marketing Bandar Lampung" in body
    assert "Kunjungan Bob" not in body  # bob's recorded outcome
    assert "Keripik Alice" in body and "Kopi Bob" not in body
    assert "Ekspor Bob" not in body
    assert "Kunjungan pendampingan" in body


@pytest.mark.django_db
def test_owner_cannot_download_another_owners_evidence(alice: Any, bob: Any, shared: dict[str, Any]) -> None:
    follow_up = shared["bob_follow_up"]
    follow_up.evidence.save("x.pdf", SimpleUploadedFile("x.pdf", PDF), save=True)
    url = reverse("training:follow-up-evidence", args=[follow_up.pk])
    assert client_for(alice).get(url).status_code == 404
    response = client_for(bob).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
@pytest.mark.parametrize("enrollments", [1, 12])
def test_my_trainings_query_count_is_fixed(
    alice: Any, oscar: Any, enrollments: int, django_assert_num_queries: Any
) -> None:
    business = BusinessFactory(owner=alice)
    for _ in range(enrollments):
        enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar), business=business)
        FollowUpFactory(enrollment=enrollment)
    client = client_for(alice)
    # session, user, roles, enrollments, follow-ups (prefetch)
    with django_assert_num_queries(7):  # + the owner's join requests, the programs' messages
        response = client.get(reverse("training:my-trainings"))
    assert response.content.decode().count('id="enrollment-') == enrollments


# --- officer pages -----------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("programs", [1, 20])
def test_program_list_query_count_is_fixed(oscar: Any, programs: int, django_assert_num_queries: Any) -> None:
    for _ in range(programs):
        program_with(oscar, attended=2, covered=1)
    client = client_for(oscar)
    # session, user, roles, count (paginator), programs with coverage
    with django_assert_num_queries(5):
        response = client.get(reverse("training:program-list"))
    assert response.status_code == 200
    assert response.content.decode().count("50,0 %") == programs


@pytest.mark.django_db
@pytest.mark.parametrize("participants", [1, 15])
def test_program_detail_query_count_is_fixed(oscar: Any, participants: int, django_assert_num_queries: Any) -> None:
    program = program_with(oscar, attended=participants, covered=participants)
    client = client_for(oscar)
    # session, user, roles, program with coverage, participants, their follow-ups
    with django_assert_num_queries(8):  # + the join requests and waiting list, the program's messages
        response = client.get(reverse("training:program-detail", args=[program.pk]))
    assert response.content.decode().count("Kunjungan pendampingan") == participants


@pytest.mark.django_db
def test_officer_creates_a_program_from_the_form(oscar: Any) -> None:
    data = {
        "title": "Pelatihan BPOM",
        "topic": "bpom_registration",
        "organiser": "Dinas Perindustrian",
        "funding_source": "APBD",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "venue": "Metro",
        "capacity": "30",
        "responsible_officer": str(oscar.pk),
        "follow_up_window_days": "30",
    }
    response = client_for(oscar).post(reverse("training:program-create"), data)
    program = Program.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:program-detail", args=[program.pk])
    assert program.follow_up_due_on == date(2026, 4, 2)


@pytest.mark.django_db
def test_program_form_with_end_before_start_shows_the_error_and_writes_nothing(oscar: Any) -> None:
    data = {
        "title": "Pelatihan BPOM",
        "topic": "bpom_registration",
        "organiser": "Dinas",
        "start_date": "2026-03-05",
        "end_date": "2026-03-03",
        "venue": "Metro",
        "capacity": "30",
        "responsible_officer": str(oscar.pk),
        "follow_up_window_days": "30",
    }
    response = client_for(oscar).post(reverse("training:program-create"), data)
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_enroll_page_searches_the_registry_by_name_or_nib(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    BusinessFactory(name="Sambal Lado Mantap")
    other = BusinessFactory(name="Kopi Way Kanan")
    client = client_for(oscar)
    by_name = client.get(reverse("training:program-enroll", args=[program.pk]), {"q": "sambal"}).content.decode()
    assert "Sambal Lado Mantap" in by_name and "Kopi Way Kanan" not in by_name
    by_nib = client.get(reverse("training:program-enroll", args=[program.pk]), {"q": other.nib}).content.decode()
    assert "Kopi Way Kanan" in by_nib and "Sambal Lado Mantap" not in by_nib


@pytest.mark.django_db
def test_officer_enrolls_several_businesses_at_once(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    businesses = BusinessFactory.create_batch(3)
    response = client_for(oscar).post(
        reverse("training:program-enroll", args=[program.pk]), {"businesses": [b.pk for b in businesses]}
    )
    assert response.status_code == 302
    assert set(Enrollment.objects.values_list("business_id", flat=True)) == {b.pk for b in businesses}


@pytest.mark.django_db
def test_enrolling_beyond_capacity_on_the_page_shows_the_error_and_writes_nothing(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar, capacity=1)
    businesses = BusinessFactory.create_batch(2)
    response = client_for(oscar).post(
        reverse("training:program-enroll", args=[program.pk]), {"businesses": [b.pk for b in businesses]}, follow=True
    )
    assert "Program ini memiliki 1 tempat kosong dari 1" in response.content.decode()
    assert not Enrollment.objects.exists()


@pytest.mark.django_db
def test_attendance_sheet_records_the_whole_program_in_one_form(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    present, absent = (EnrollmentFactory(program=program, attended=None) for _ in range(2))
    client = client_for(oscar)
    sheet = client.get(reverse("training:attendance", args=[program.pk])).content.decode()
    assert sheet.count('type="checkbox" name="present"') == 2
    response = client.post(
        reverse("training:attendance", args=[program.pk]),
        {"day": "2026-01-05", "listed": [present.business_id, absent.business_id], "present": [present.business_id]},
    )
    assert response.status_code == 302
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)


@pytest.mark.django_db
def test_attendance_for_a_business_not_enrolled_shows_the_error_and_writes_nothing(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    enrolled = EnrollmentFactory(program=program, attended=None)
    stranger = BusinessFactory(name="Bukan Peserta")
    response = client_for(oscar).post(
        reverse("training:attendance", args=[program.pk]),
        {
            "day": "2026-01-05",
            "listed": [enrolled.business_id, stranger.pk],
            "present": [enrolled.business_id, stranger.pk],
        },
        follow=True,
    )
    assert "Kehadiran ditolak: tidak terdaftar di program ini: Bukan Peserta." in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.attended is None


@pytest.mark.django_db
def test_officer_plans_and_records_a_follow_up_with_evidence(oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    client = client_for(oscar)
    url = reverse("training:follow-up-plan", args=[enrollment.program_id, enrollment.pk])
    response = client.post(
        url, {"kind": "equipment", "planned_on": "2026-02-01", "responsible_officer": oscar.pk, "outcome": ""}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.done_on is None
    response = client.post(
        reverse("training:follow-up-record", args=[follow_up.pk]),
        {
            "done_on": "2026-02-03",
            "outcome": "Mesin sealer diserahkan.",
            "evidence": SimpleUploadedFile("serah terima.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on == date(2026, 2, 3)
    assert follow_up.evidence_content_type == "application/pdf"


@pytest.mark.django_db
def test_follow_up_done_in_the_future_on_the_page_shows_the_error_and_writes_nothing(oscar: Any) -> None:
    follow_up = FollowUpFactory(enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)))
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(oscar).post(
        reverse("training:follow-up-record", args=[follow_up.pk]), {"done_on": tomorrow.isoformat(), "outcome": "x"}
    )
    assert response.status_code == 200
    assert "Tanggal pelaksanaan tindak lanjut tidak boleh di masa depan." in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


@pytest.mark.django_db
def test_evidence_of_the_wrong_type_on_the_page_shows_the_error_and_writes_nothing(oscar: Any) -> None:
    follow_up = FollowUpFactory(enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)))
    response = client_for(oscar).post(
        reverse("training:follow-up-record", args=[follow_up.pk]),
        {
            "done_on": "2026-02-03",
            "outcome": "x",
            "evidence": SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>", content_type="application/pdf"),
        },
    )
    assert "Hanya berkas PDF, JPEG dan PNG yang diterima" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and not follow_up.evidence


@pytest.mark.django_db
def test_overdue_page_lists_my_late_follow_ups_and_programs_lacking_follow_up(oscar: Any, make_user: Any) -> None:
    today = timezone.localdate()
    late = program_with(oscar, attended=2, covered=1, end=today - timedelta(days=40), title="Alat Produksi Modern")
    FollowUpFactory(
        enrollment=late.enrollments.filter(follow_ups__isnull=True).get(), planned_on=today - timedelta(days=2)
    )
    program_with(oscar, attended=2, covered=2, end=today - timedelta(days=40), title="Sudah Lengkap")
    colleague = make_user("other.officer@example.test", "officer")
    program_with(colleague, attended=2, end=today - timedelta(days=40), title="Punya Rekan")
    body = client_for(oscar).get(reverse("training:overdue")).content.decode()
    assert "Alat Produksi Modern" in body
    assert "Sudah Lengkap" not in body
    assert "Punya Rekan" not in body
    assert body.count('class="overdue"') == 1


@pytest.mark.django_db
def test_officer_home_shows_programs_lacking_follow_up(oscar: Any) -> None:
    today = timezone.localdate()
    program_with(oscar, attended=2, end=today - timedelta(days=40), title="Alat Produksi Modern")
    body = client_for(oscar).get(reverse("home")).content.decode()
    assert 'id="home-lacking"' in body and "Alat Produksi Modern" in body


@pytest.mark.django_db
def test_owner_home_links_to_my_trainings(alice: Any) -> None:
    body = client_for(alice).get(reverse("home")).content.decode()
    assert reverse("training:my-trainings") in body


@pytest.mark.django_db
def test_editing_capacity_below_the_enrolled_count_shows_the_error_and_keeps_the_row(oscar: Any) -> None:
    program = program_with(oscar, attended=3)
    data = {
        "title": program.title,
        "topic": program.topic,
        "organiser": program.organiser,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "venue": program.venue,
        "capacity": "2",
        "responsible_officer": str(oscar.pk),
        "follow_up_window_days": "30",
    }
    response = client_for(oscar).post(reverse("training:program-edit", args=[program.pk]), data)
    assert response.status_code == 200
    assert "Kapasitas tidak boleh lebih kecil dari 3 peserta yang sudah terdaftar." in response.content.decode()
    program.refresh_from_db()
    assert program.capacity == 50
    data["capacity"] = "60"
    data["follow_up_window_days"] = "14"
    assert client_for(oscar).post(reverse("training:program-edit", args=[program.pk]), data).status_code == 302
    program.refresh_from_db()
    assert (program.capacity, program.follow_up_due_on) == (60, date(2026, 1, 21))
