"""A follow-up marked done needs an outcome; equipment assistance marked done also needs evidence (issue 19, item 4).

Each refusal is checked on the service, the page and the API: a clear message in the user's language, nothing written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from tests.training.factories import EnrollmentFactory, FollowUpFactory, ProgramFactory
from training import selectors, services
from training.models import FollowUp, Program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_services() -> Any:
    """Services answer in the active language: English here (a page request before may have left Indonesian)."""
    with translation.override("en"):
        yield


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NO_OUTCOME_ID = "Tindak lanjut yang ditandai selesai harus mencantumkan hasilnya."
NO_EVIDENCE_ID = "Bantuan peralatan yang ditandai selesai harus disertai bukti"


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


def test_the_service_refuses_a_follow_up_created_done_without_an_outcome(oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    with pytest.raises(DomainError, match="needs its outcome") as caught:
        services.followup_create(
            enrollment=enrollment,
            kind=FollowUp.Kind.MENTORING,
            planned_on=date(2026, 2, 1),
            done_on=date(2026, 2, 1),
            outcome="   ",
            responsible_officer=oscar,
            actor=oscar,
        )
    assert "outcome" in caught.value.errors
    assert not FollowUp.objects.exists()


def test_the_service_refuses_recording_done_without_an_outcome_and_coverage_stays_zero(oscar: Any) -> None:
    follow_up = FollowUpFactory(enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)))
    with pytest.raises(DomainError, match="needs its outcome"):
        services.followup_record(follow_up=follow_up, done_on=date(2026, 2, 1), outcome="", actor=oscar)
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    assert selectors.with_coverage(Program.objects.all()).get().covered_count == 0


def test_the_service_refuses_equipment_done_without_evidence(oscar: Any) -> None:
    follow_up = FollowUpFactory(
        enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)), kind=FollowUp.Kind.EQUIPMENT
    )
    with pytest.raises(DomainError, match="needs evidence") as caught:
        services.followup_record(
            follow_up=follow_up, done_on=date(2026, 2, 1), outcome="Sealer diserahkan", actor=oscar
        )
    assert "evidence" in caught.value.errors
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.outcome == ""


def test_equipment_with_evidence_and_an_outcome_counts_as_done(oscar: Any) -> None:
    follow_up = FollowUpFactory(
        enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)), kind=FollowUp.Kind.EQUIPMENT
    )
    services.followup_record(
        follow_up=follow_up,
        done_on=date(2026, 2, 1),
        outcome="Sealer diserahkan",
        evidence=SimpleUploadedFile("serah terima.pdf", PDF, content_type="application/pdf"),
        actor=oscar,
    )
    assert selectors.with_coverage(Program.objects.all()).get().covered_count == 1


def test_a_planned_follow_up_needs_no_outcome_yet(oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    services.followup_create(
        enrollment=enrollment,
        kind=FollowUp.Kind.EQUIPMENT,
        planned_on=date(2026, 2, 1),
        responsible_officer=oscar,
        actor=oscar,
    )
    assert FollowUp.objects.get().done_on is None


def test_the_plan_page_shows_the_missing_outcome_in_indonesian_and_writes_nothing(oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    response = client_for(oscar).post(
        reverse("training:follow-up-plan", args=[enrollment.program_id, enrollment.pk]),
        {"kind": "mentoring", "planned_on": "2026-02-01", "done_on": "2026-02-01", "responsible_officer": oscar.pk},
    )
    assert response.status_code == 200
    assert NO_OUTCOME_ID in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_record_page_shows_the_missing_evidence_for_equipment_and_writes_nothing(oscar: Any) -> None:
    follow_up = FollowUpFactory(
        enrollment=EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar)), kind=FollowUp.Kind.EQUIPMENT
    )
    response = client_for(oscar).post(
        reverse("training:follow-up-record", args=[follow_up.pk]),
        {"done_on": "2026-02-03", "outcome": "Sealer diserahkan"},
    )
    assert response.status_code == 200
    assert NO_EVIDENCE_ID in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.outcome == ""


def test_the_api_answers_400_for_done_without_an_outcome_and_writes_nothing(api_as: Any, oscar: Any) -> None:
    enrollment = EnrollmentFactory(program=ProgramFactory(responsible_officer=oscar))
    response = api_as(oscar).post(
        f"/api/v1/trainings/{enrollment.program_id}/follow-ups/",
        {
            "enrollment": enrollment.pk,
            "kind": "equipment",
            "planned_on": "2026-02-01",
            "done_on": "2026-02-01",
            "outcome": "Sealer diserahkan",
            "responsible_officer": oscar.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(NO_EVIDENCE_ID)
    assert not FollowUp.objects.exists()
    response = api_as(oscar).post(
        f"/api/v1/trainings/{enrollment.program_id}/follow-ups/",
        {
            "enrollment": enrollment.pk,
            "kind": "mentoring",
            "planned_on": "2026-02-01",
            "done_on": "2026-02-01",
            "responsible_officer": oscar.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == NO_OUTCOME_ID
    assert not FollowUp.objects.exists()
