"""Writes of training through the services: the happy paths and every bad input (clear message, nothing written)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from core.errors import DomainError
from tests.training.factories import BusinessFactory, EnrollmentFactory, FollowUpFactory, ProgramFactory
from training import selectors, services
from training.models import Enrollment, FollowUp, Program

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English here; the pages' tests check the Indonesian ones."""
    with translation.override("en"):
        yield


def _program_args(officer: Any, **overrides: Any) -> dict[str, Any]:
    args = {
        "title": "Pelatihan Alat Produksi Modern",
        "topic": Program.Topic.PRODUCTION_TOOLS,
        "organiser": "Dinas Perindustrian",
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 4),
        "venue": "Bandar Lampung",
        "capacity": 2,
        "responsible_officer": officer,
    }
    args.update(overrides)
    return args


@pytest.mark.django_db
def test_program_create_computes_the_follow_up_due_date(oscar: Any) -> None:
    program = services.program_create(actor=oscar, **_program_args(oscar, follow_up_window_days=45))
    program.refresh_from_db()
    assert program.follow_up_due_on == date(2026, 4, 18)
    assert program.created_by == oscar


@pytest.mark.django_db
def test_program_with_end_before_start_is_refused_and_nothing_written(oscar: Any) -> None:
    with pytest.raises(DomainError, match="The end date cannot be before the start date."):
        services.program_create(actor=oscar, **_program_args(oscar, end_date=date(2026, 3, 1)))
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_program_update_refuses_end_before_start_and_keeps_the_row(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    with pytest.raises(DomainError, match="The end date cannot be before the start date."):
        services.program_update(program=program, actor=oscar, end_date=program.start_date - timedelta(days=1))
    program.refresh_from_db()
    assert program.end_date == date(2026, 1, 7)


@pytest.mark.django_db
def test_program_update_moves_the_due_date_with_the_window(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    services.program_update(program=program, actor=oscar, follow_up_window_days=10)
    program.refresh_from_db()
    assert program.follow_up_due_on == date(2026, 1, 17)


@pytest.mark.django_db
def test_an_owner_cannot_create_a_program(alice: Any, oscar: Any) -> None:
    with pytest.raises(DomainError, match="Only task-force officers and administrators"):
        services.program_create(actor=alice, **_program_args(oscar))
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_enrolling_beyond_capacity_is_refused_and_nothing_written(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar, capacity=2)
    businesses = BusinessFactory.create_batch(3)
    with pytest.raises(DomainError, match=r"The program has 2 free place\(s\) of 2; you tried to enroll 3"):
        services.enrollment_add(program=program, businesses=businesses, actor=oscar)
    assert not Enrollment.objects.exists()


@pytest.mark.django_db
def test_enrolling_a_business_twice_is_refused_and_nothing_written(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar, capacity=5)
    first = BusinessFactory(name="Keripik Maju")
    services.enrollment_add(program=program, businesses=[first], actor=oscar)
    other = BusinessFactory()
    with pytest.raises(DomainError, match="Already enrolled in this program: Keripik Maju."):
        services.enrollment_add(program=program, businesses=[other, first], actor=oscar)
    assert list(Enrollment.objects.values_list("business_id", flat=True)) == [first.pk]


@pytest.mark.django_db
def test_attendance_is_recorded_for_the_whole_sheet(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    present, absent = (EnrollmentFactory(program=program, attended=None) for _ in range(2))
    written = services.attendance_record(
        program=program, marks={present.business_id: True, absent.business_id: False}, actor=oscar
    )
    assert written == 2
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    assert present.attendance_recorded_by == oscar and present.attendance_recorded_at is not None


@pytest.mark.django_db
def test_attendance_for_a_business_not_enrolled_is_refused_and_nothing_written(oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    enrolled = EnrollmentFactory(program=program, attended=None)
    stranger = BusinessFactory(name="Bukan Peserta")
    with pytest.raises(DomainError, match="Attendance refused: not enrolled in this program: Bukan Peserta."):
        services.attendance_record(program=program, marks={enrolled.business_id: True, stranger.pk: True}, actor=oscar)
    enrolled.refresh_from_db()
    assert enrolled.attended is None
    assert enrolled.attendance_recorded_at is None


@pytest.mark.django_db
def test_a_follow_up_done_in_the_future_is_refused_and_nothing_written(oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    with pytest.raises(DomainError, match="A follow-up cannot be done in the future."):
        services.followup_create(
            enrollment=enrollment,
            kind=FollowUp.Kind.EQUIPMENT,
            planned_on=date(2026, 2, 1),
            done_on=date(2026, 2, 11),
            responsible_officer=oscar,
            actor=oscar,
            today=date(2026, 2, 10),
        )
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_recording_a_follow_up_in_the_future_is_refused_and_the_row_unchanged(oscar: Any) -> None:
    follow_up = FollowUpFactory(enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)))
    with pytest.raises(DomainError, match="A follow-up cannot be done in the future."):
        services.followup_record(
            follow_up=follow_up, done_on=date(2026, 2, 11), outcome="x", actor=oscar, today=date(2026, 2, 10)
        )
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.outcome == ""


@pytest.mark.django_db
def test_recording_a_follow_up_with_evidence_makes_coverage(oscar: Any) -> None:
    follow_up = FollowUpFactory(enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)))
    services.followup_record(
        follow_up=follow_up,
        done_on=date(2026, 2, 1),
        outcome="Mesin pengemas diserahkan.",
        evidence=SimpleUploadedFile("berita acara.pdf", PDF, content_type="application/pdf"),
        actor=oscar,
        today=date(2026, 2, 10),
    )
    follow_up.refresh_from_db()
    assert follow_up.done_on == date(2026, 2, 1)
    assert follow_up.evidence_content_type == "application/pdf"
    assert follow_up.evidence_name == "berita acara.pdf"
    assert follow_up.evidence.name.startswith("training/evidence/") and "berita" not in follow_up.evidence.name
    program = selectors.with_coverage(Program.objects.all()).get()
    assert (program.covered_count, program.attended_count) == (1, 1)
    assert selectors.coverage_percent(program) == 100


@pytest.mark.django_db
def test_evidence_of_the_wrong_type_is_refused_and_nothing_written(oscar: Any) -> None:
    follow_up = FollowUpFactory(enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)))
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(DomainError, match="Only PDF, JPEG and PNG files are accepted"):
        services.followup_record(follow_up=follow_up, done_on=date(2026, 2, 1), outcome="x", evidence=fake, actor=oscar)
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and not follow_up.evidence


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=100)
def test_evidence_too_big_is_refused_and_nothing_written(oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    big = SimpleUploadedFile("foto.png", PNG + b"\x00" * 200, content_type="image/png")
    with pytest.raises(DomainError, match=r"The file is too large \(.*\); the limit is 100"):
        services.followup_create(
            enrollment=enrollment,
            kind=FollowUp.Kind.EVALUATION,
            planned_on=date(2026, 2, 1),
            done_on=date(2026, 2, 1),
            outcome="Evaluasi selesai.",
            responsible_officer=oscar,
            evidence=big,
            actor=oscar,
        )
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_coverage_counts_attended_participants_with_a_done_follow_up_in_one_query(
    oscar: Any, django_assert_num_queries: Any
) -> None:
    program = ProgramFactory(responsible_officer=oscar)
    covered = EnrollmentFactory(program=program)
    FollowUpFactory(enrollment=covered, done_on=date(2026, 1, 20))
    FollowUpFactory(enrollment=covered, done_on=date(2026, 1, 25))  # two follow-ups still count once
    EnrollmentFactory(program=program)
    absent = EnrollmentFactory(program=program, attended=False)
    FollowUpFactory(enrollment=absent, done_on=date(2026, 1, 20))  # absentees are not in the ratio
    ProgramFactory.create_batch(3, responsible_officer=oscar)
    with django_assert_num_queries(1):
        rows = {p.pk: p for p in selectors.with_coverage(Program.objects.all())}
    assert (rows[program.pk].enrolled_count, rows[program.pk].attended_count, rows[program.pk].covered_count) == (
        3,
        2,
        1,
    )
    assert selectors.coverage_percent(rows[program.pk]) == 50
    assert len(rows) == 4
