"""/api/v1/trainings/: scoped by role (out of reach: 404), writes by officers, bad input 400, fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.training.factories import BusinessFactory, EnrollmentFactory, FollowUpFactory, ProgramFactory, program_with
from training.models import Enrollment, FollowUp, Program

LIST = "/api/v1/trainings/"


@pytest.fixture
def shared(oscar: Any, alice: Any, bob: Any) -> dict[str, Any]:
    program = ProgramFactory(responsible_officer=oscar, title="Digital Marketing")
    alice_enrollment = EnrollmentFactory(program=program, business=BusinessFactory(owner=alice))
    bob_enrollment = EnrollmentFactory(program=program, business=BusinessFactory(owner=bob))
    FollowUpFactory(enrollment=alice_enrollment)
    FollowUpFactory(enrollment=bob_enrollment, done_on="2026-01-20")
    bobs_only = ProgramFactory(responsible_officer=oscar, title="Ekspor Bob")
    EnrollmentFactory(program=bobs_only, business=bob_enrollment.business)
    return {"program": program, "bobs_only": bobs_only, "alice": alice_enrollment, "bob": bob_enrollment}


@pytest.mark.django_db
def test_owner_lists_only_programs_her_businesses_joined(api_as: Any, alice: Any, shared: dict[str, Any]) -> None:
    response = api_as(alice).get(LIST)
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Digital Marketing"]


@pytest.mark.django_db
def test_owner_cannot_read_a_program_she_did_not_join(api_as: Any, alice: Any, shared: dict[str, Any]) -> None:
    client = api_as(alice)
    pk = shared["bobs_only"].pk
    assert client.get(f"{LIST}{pk}/").status_code == 404
    assert client.get(f"{LIST}{pk}/enrollments/").status_code == 404
    assert client.get(f"{LIST}{pk}/follow-ups/").status_code == 404


@pytest.mark.django_db
def test_owner_sees_only_her_own_enrollment_and_follow_ups(api_as: Any, alice: Any, shared: dict[str, Any]) -> None:
    client = api_as(alice)
    pk = shared["program"].pk
    enrollments = client.get(f"{LIST}{pk}/enrollments/").json()["results"]
    assert [row["id"] for row in enrollments] == [shared["alice"].pk]
    follow_ups = client.get(f"{LIST}{pk}/follow-ups/").json()["results"]
    assert [row["enrollment"] for row in follow_ups] == [shared["alice"].pk]


@pytest.mark.django_db
def test_other_roles_see_no_training(api_as: Any, pat: Any, shared: dict[str, Any]) -> None:
    client = api_as(pat)
    assert client.get(LIST).json()["results"] == []
    assert client.get(f"{LIST}{shared['program'].pk}/").status_code == 404


@pytest.mark.django_db
def test_anonymous_is_refused(api_as: Any, shared: dict[str, Any]) -> None:
    assert api_as(None).get(LIST).status_code in (401, 403)


@pytest.mark.django_db
def test_detail_carries_the_coverage(api_as: Any, oscar: Any, shared: dict[str, Any]) -> None:
    row = api_as(oscar).get(f"{LIST}{shared['program'].pk}/").json()
    assert (row["enrolled_count"], row["attended_count"], row["covered_count"]) == (2, 2, 1)
    assert row["coverage_percent"] == "50.0"
    assert row["follow_up_due_on"] == "2026-02-06"


@pytest.mark.django_db
@pytest.mark.parametrize("programs", [1, 25])
def test_list_query_count_is_fixed(api_as: Any, oscar: Any, programs: int, django_assert_num_queries: Any) -> None:
    for _ in range(programs):
        program_with(oscar, attended=2, covered=1)
    client = api_as(oscar)
    with django_assert_num_queries(3):  # roles, count, programs with coverage
        response = client.get(LIST)
    assert response.json()["count"] == programs


@pytest.mark.django_db
@pytest.mark.parametrize("participants", [1, 20])
def test_enrollment_list_query_count_is_fixed(
    api_as: Any, oscar: Any, participants: int, django_assert_num_queries: Any
) -> None:
    program = program_with(oscar, attended=participants, covered=participants)
    client = api_as(oscar)
    with django_assert_num_queries(5):  # roles, program, count, enrollments, follow-ups
        response = client.get(f"{LIST}{program.pk}/enrollments/")
    assert response.json()["count"] == participants


@pytest.mark.django_db
@pytest.mark.parametrize("participants", [1, 20])
def test_follow_up_list_query_count_is_fixed(
    api_as: Any, oscar: Any, participants: int, django_assert_num_queries: Any
) -> None:
    program = program_with(oscar, attended=participants, covered=participants)
    client = api_as(oscar)
    with django_assert_num_queries(4):  # roles, program, count, follow-ups
        response = client.get(f"{LIST}{program.pk}/follow-ups/")
    assert response.json()["count"] == participants


def _payload(officer: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Kesiapan Ekspor",
        "topic": "export_readiness",
        "organiser": "Dinas Perindustrian",
        "start_date": "2026-05-04",
        "end_date": "2026-05-06",
        "venue": "Bandar Lampung",
        "capacity": 2,
        "responsible_officer": officer.pk,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_officer_creates_a_program(api_as: Any, oscar: Any) -> None:
    response = api_as(oscar).post(LIST, _payload(oscar), format="json")
    assert response.status_code == 201, response.json()
    program = Program.objects.get()
    assert response.json()["id"] == program.pk
    assert str(program.follow_up_due_on) == "2026-06-05"


@pytest.mark.django_db
def test_owner_cannot_create_a_program(api_as: Any, alice: Any, oscar: Any) -> None:
    assert api_as(alice).post(LIST, _payload(oscar), format="json").status_code == 403
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_program_with_end_before_start_answers_400_and_writes_nothing(api_as: Any, oscar: Any) -> None:
    response = api_as(oscar).post(LIST, _payload(oscar, end_date="2026-05-01"), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Tanggal selesai tidak boleh sebelum tanggal mulai."
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_enrolling_beyond_capacity_or_twice_answers_400_and_writes_nothing(api_as: Any, oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar, capacity=2)
    businesses = BusinessFactory.create_batch(3)
    client = api_as(oscar)
    url = f"{LIST}{program.pk}/enrollments/"
    too_many = client.post(url, {"business_ids": [b.pk for b in businesses]}, format="json")
    assert too_many.status_code == 400
    assert "Program ini memiliki 2 tempat kosong dari 2" in too_many.json()["detail"]
    assert not Enrollment.objects.exists()
    assert client.post(url, {"business_ids": [businesses[0].pk]}, format="json").status_code == 201
    twice = client.post(url, {"business_ids": [businesses[0].pk]}, format="json")
    assert twice.status_code == 400
    assert twice.json()["detail"].startswith("Sudah terdaftar di program ini")
    assert Enrollment.objects.count() == 1


@pytest.mark.django_db
def test_follow_up_done_in_the_future_answers_400_and_writes_nothing(
    api_as: Any, oscar: Any, shared: dict[str, Any]
) -> None:
    before = FollowUp.objects.count()
    response = api_as(oscar).post(
        f"{LIST}{shared['program'].pk}/follow-ups/",
        {
            "enrollment": shared["alice"].pk,
            "kind": "evaluation",
            "planned_on": "2026-02-01",
            "done_on": "2999-01-01",
            "responsible_officer": oscar.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Tanggal pelaksanaan tindak lanjut tidak boleh di masa depan."
    assert FollowUp.objects.count() == before


@pytest.mark.django_db
def test_officer_plans_a_follow_up_through_the_api(api_as: Any, oscar: Any, shared: dict[str, Any]) -> None:
    response = api_as(oscar).post(
        f"{LIST}{shared['program'].pk}/follow-ups/",
        {
            "enrollment": shared["alice"].pk,
            "kind": "market_access",
            "planned_on": "2026-03-01",
            "responsible_officer": oscar.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    created = FollowUp.objects.get(pk=response.json()["id"])
    assert (created.enrollment_id, created.kind, created.done_on) == (shared["alice"].pk, "market_access", None)


@pytest.mark.django_db
def test_owner_cannot_write_enrollments_or_follow_ups(api_as: Any, alice: Any, shared: dict[str, Any]) -> None:
    client = api_as(alice)
    pk = shared["program"].pk
    enrollments, follow_ups = Enrollment.objects.count(), FollowUp.objects.count()
    assert client.post(f"{LIST}{pk}/enrollments/", {"business_ids": [1]}, format="json").status_code == 403
    assert client.post(f"{LIST}{pk}/follow-ups/", {}, format="json").status_code == 403
    assert (Enrollment.objects.count(), FollowUp.objects.count()) == (enrollments, follow_ups)
