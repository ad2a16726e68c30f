"""The applications API: scoping, allowed actions, transitions with 400/409, timeline, pinned query counts."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import services
from certification.models import Application, ApplicationEvent
from tests.certification import factories as f
from tests.conftest import national


def test_owner_creates_a_draft_for_their_own_business(api_as: Any, cast: f.Cast) -> None:
    b = f.business(cast.owner)
    p = f.product(b)
    response = api_as(cast.owner).post(
        "/api/v1/applications/", {"business": b.pk, "pathway": "regular", "products": [p.pk]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft"
    assert body["state_label"] == {"id": "Draf", "en": "Draft"}
    assert body["allowed_actions"] == ["submit", "cancel"]
    assert Application.objects.get(pk=body["id"]).business == b


def test_owner_cannot_create_for_another_owners_business(api_as: Any, cast: f.Cast, bob: Any) -> None:
    b = f.business(bob)
    p = f.product(b)
    response = api_as(cast.owner).post(
        "/api/v1/applications/", {"business": b.pk, "pathway": "regular", "products": [p.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "You can only apply for a business you own."
    assert not Application.objects.exists()


def test_owners_never_see_other_owners_applications(api_as: Any, cast: f.Cast, bob: Any) -> None:
    mine = f.draft(cast.owner, "self_declare")
    theirs = f.draft(bob, "regular")
    client = api_as(cast.owner)
    ids = [row["id"] for row in client.get("/api/v1/applications/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/v1/applications/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/applications/{theirs.pk}/events/").status_code == 404
    response = client.post(f"/api/v1/applications/{theirs.pk}/transitions/", {"action": "cancel"}, format="json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "draft"


def test_pph_sees_only_assigned_cases_and_reviewers_see_all(api_as: Any, cast: f.Cast, bob: Any, oscar: Any) -> None:
    assigned = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    other = f.draft(bob, "regular")
    pph_ids = [row["id"] for row in api_as(cast.pph).get("/api/v1/applications/").json()["results"]]
    assert pph_ids == [assigned.pk]
    assert api_as(cast.pph).get(f"/api/v1/applications/{other.pk}/").status_code == 404
    all_ids = {row["id"] for row in api_as(cast.reviewer).get("/api/v1/applications/").json()["results"]}
    assert all_ids == {assigned.pk, other.pk}
    assert api_as(oscar).get("/api/v1/applications/").json()["results"] == []


def test_transition_through_the_api_and_the_timeline(api_as: Any, cast: f.Cast) -> None:
    app = f.draft(cast.owner, "self_declare")
    url = f"/api/v1/applications/{app.pk}/transitions/"
    refused = api_as(cast.owner).post(url, {"action": "submit"}, format="json")  # the default mode needs SIHALAL's
    assert refused.status_code == 400 and "sihalal_registration" in refused.json()["errors"]
    response = api_as(cast.owner).post(
        url,
        {"action": "submit", "note": "Mohon diproses", "sihalal_registration": "SH2026-1-000555"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted"
    assert response.json()["allowed_actions"] == ["cancel"]
    events = api_as(cast.owner).get(f"/api/v1/applications/{app.pk}/events/").json()
    assert [(e["from_state"], e["to_state"]) for e in events] == [("", "draft"), ("draft", "submitted")]
    assert events[1]["to_label"] == {"id": "Menunggu Pendamping PPH", "en": "Waiting for an assistant"}
    assert events[1]["note"] == "Mohon diproses"


def test_a_refused_transition_answers_400_with_the_message_and_writes_nothing(api_as: Any, cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    response = api_as(cast.reviewer).post(
        f"/api/v1/applications/{app.pk}/transitions/", {"action": "return"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The reason is required to do “Return to the owner”."
    assert response.json()["errors"] == {"reason": ["The reason is required to do “Return to the owner”."]}
    app.refresh_from_db()
    assert app.state == "submitted"
    assert ApplicationEvent.objects.filter(application=app).count() == 2


def test_unknown_action_answers_400(api_as: Any, cast: f.Cast) -> None:
    app = f.draft(cast.owner, "self_declare")
    response = api_as(cast.owner).post(f"/api/v1/applications/{app.pk}/transitions/", {"action": "fly"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Unknown action “fly”."


def test_a_stale_version_answers_409(api_as: Any, cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    seen = app.version
    services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    response = api_as(cast.reviewer).post(
        f"/api/v1/applications/{app.pk}/transitions/",
        {"action": "reject", "reason": "x", "version": seen},
        format="json",
    )
    assert response.status_code == 409
    assert "Someone else changed this application meanwhile" in response.json()["detail"]
    app.refresh_from_db()
    assert app.state == "fatwa"


def test_payment_without_proof_is_refused(api_as: Any, cast: f.Cast, request: Any) -> None:
    request.getfixturevalue("fee_schedules")
    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    response = api_as(cast.reviewer).post(
        f"/api/v1/applications/{app.pk}/transitions/", {"action": "record_payment"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The payment proof is required to do “Record payment”."
    app.refresh_from_db()
    assert (app.state, app.paid_at, bool(app.payment_proof)) == ("awaiting_payment", None, False)


def test_filters_by_state_pathway_region_and_assignment(api_as: Any, cast: f.Cast, bob: Any) -> None:
    lampung = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    elsewhere = f.draft(bob, "regular", f.business(bob, region_code="3171"))
    client = api_as(national(cast.reviewer))  # Jakarta is outside rina's Lampung jurisdiction

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"/api/v1/applications/?{query}").json()["results"]}

    assert ids("state=pph_verification") == {lampung.pk}
    assert ids("pathway=regular") == {elsewhere.pk}
    assert ids("region=18") == {lampung.pk}
    assert ids("region=3171") == {elsewhere.pk}
    services.application_assign(application_ids=[elsewhere.pk], actor=cast.reviewer, reviewer=cast.reviewer)
    assert ids("assigned_to_me=true") == {elsewhere.pk}


def _list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/applications/")
    assert response.status_code == 200
    return len(queries)


def test_the_api_list_query_count_is_the_same_for_1_and_50_rows(
    api_as: Any, cast: f.Cast, django_assert_num_queries: Any
) -> None:
    b = f.business(cast.owner)
    f.drive(f.draft(cast.owner, "self_declare", b), "pph_verification", cast)
    client = api_as(cast.reviewer)
    client.get("/api/v1/applications/")  # warm the per-user role cache of the forced user
    with django_assert_num_queries(3):  # count, page with business/region/users joined, products prefetch
        assert len(client.get("/api/v1/applications/").json()["results"]) == 1
    for _ in range(49):
        f.drive(f.draft(cast.owner, "self_declare", b), "pph_verification", cast)
    with django_assert_num_queries(3):
        rows = client.get("/api/v1/applications/").json()["results"]
    assert len(rows) == 50
    assert all(row["allowed_actions"] == [] for row in rows)  # the assistant holds these cases, not the reviewer


def test_the_api_list_counts_up_to_the_cap_and_pages_past_it_without_counting_more(
    api_as: Any, cast: f.Cast, monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    from core.web import pagination

    b = f.business(cast.owner)
    for _ in range(4):
        f.drive(f.draft(cast.owner, "self_declare", b), "submitted", cast)
    client = api_as(cast.reviewer)
    body = client.get("/api/v1/applications/?page_size=2").json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (4, True, 4)
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    with django_assert_num_queries(3):
        body = client.get("/api/v1/applications/").json()
    assert (body["count"], body["count_exact"], body["next"], len(body["results"])) == (3, False, None, 4)
