"""Owner, reviewer and assistant pages."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applicants.models import Ingredient, ProcessStep
from certification import services
from certification.models import Application
from tests.certification import factories as f


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login_and_wrong_roles_get_403(client: Client, cast: f.Cast) -> None:
    assert client.get("/cases/").status_code == 302
    assert _client(cast.owner).get("/cases/").status_code == 403
    assert _client(cast.reviewer).get("/applications/new/").status_code == 403
    assert _client(cast.owner).get("/assist/").status_code == 403


def test_owners_never_see_other_owners_application_pages(cast: f.Cast, bob: Any) -> None:
    theirs = f.draft(bob, "regular")
    client = _client(cast.owner)
    assert client.get(f"/applications/{theirs.pk}/").status_code == 404
    response = client.post(f"/applications/{theirs.pk}/act/", {"action": "cancel", "expected_state": "draft"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "draft"
    assert str(theirs.pk) not in client.get("/applications/").content.decode().split("<tbody>")[1]


def test_apply_page_shows_each_eligibility_criterion_and_saves_a_draft_with_the_pledge(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    p = f.product(b)
    docs = f.documents(b)
    client = _client(cast.owner)
    page = client.get("/applications/new/").content.decode()
    assert page.count('class="badge ok">') >= 10
    response = client.post(
        "/applications/new/",
        {
            "business": b.pk,
            "pathway": "self_declare",
            "products": [p.pk],
            "documents": [d.pk for d in docs],
            "pledge": "on",
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{app.pk}/"
    assert app.state == "draft" and app.pledge_signed_at is not None


def test_apply_page_refuses_a_pledge_on_a_regular_application(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    p = f.product(b)
    response = _client(cast.owner).post(
        "/applications/new/", {"business": b.pk, "pathway": "regular", "products": [p.pk], "pledge": "on"}
    )
    assert response.status_code == 200
    assert "A pledge is only signed for self-declare applications" in response.content.decode()
    assert not Application.objects.exists()


def test_owner_page_shows_the_return_reason_timeline_and_resubmit(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "returned", cast)
    page = _client(cast.owner).get(f"/applications/{app.pk}/").content.decode()
    assert "The process flow document is unreadable." in page
    assert app.public_state_en in page  # in English the status and the timeline speak English only
    assert "Dikembalikan ke Pelaku Usaha" not in page
    indonesian = _client(cast.owner).get(f"/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Dikembalikan ke Pelaku Usaha" in indonesian and "Menunggu Pendamping PPH" in indonesian
    assert 'name="action" value="resubmit"' in page
    assert 'name="action" value="cancel"' in page
    response = _client(cast.owner).post(
        f"/applications/{app.pk}/act/", {"action": "resubmit", "expected_state": "returned"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "submitted"  # the stage it was returned from


def test_case_page_offers_a_form_only_for_the_allowed_actions(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    page = _client(cast.reviewer).get(f"/cases/{app.pk}/").content.decode()
    actions = {part.split('"')[0] for part in page.split('name="action" value="')[1:]}
    assert actions == {"assign_pph", "return"}
    assert "process_flow.pdf" in page


def test_a_stale_form_gets_a_clear_message_and_changes_nothing(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    client = _client(cast.reviewer)
    client.post(f"/applications/{app.pk}/act/", {"action": "verify", "expected_state": "verification"})
    response = client.post(
        f"/applications/{app.pk}/act/",
        {"action": "reject", "expected_state": "verification", "reason": "x"},
        follow=True,
    )
    assert "Someone else changed this application meanwhile" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "fatwa"


def test_pph_validates_from_the_case_page(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    f.verify_all(app, cast.pph, recommendation="Dapur terpisah, bahan sesuai.")
    client = _client(cast.pph)
    assert str(app.pk) in client.get("/assist/").content.decode()
    response = client.post(
        f"/applications/{app.pk}/act/", {"action": "pph_validate", "expected_state": "pph_verification"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.pph_report, app.pph_visit_date) == (
        "verification",
        "Dapur terpisah, bahan sesuai.",
        timezone.localdate(),
    )


def test_pph_return_without_a_reason_is_refused(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    response = _client(cast.pph).post(
        f"/applications/{app.pk}/act/", {"action": "return", "expected_state": "pph_verification"}, follow=True
    )
    assert "Alasan" in response.content.decode() or "Reason" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "pph_verification"


def test_batch_assign_from_the_queue(cast: f.Cast) -> None:
    apps = [f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast) for _ in range(3)]
    response = _client(cast.reviewer).post(
        "/cases/assign/", {"applications": [a.pk for a in apps], "reviewer": cast.reviewer.pk, "pph": cast.pph.pk}
    )
    assert response.status_code == 302
    assert set(Application.objects.values_list("assigned_reviewer", "assigned_pph")) == {
        (cast.reviewer.pk, cast.pph.pk)
    }
    # Cases waiting for an assistant move on to the assistant (the assign_pph transition).
    assert set(Application.objects.values_list("state", flat=True)) == {"pph_verification"}


def test_queue_sorts_by_due_date_highlights_overdue_and_pins_its_query_count(
    cast: f.Cast, django_assert_num_queries: Any
) -> None:
    b = f.business(cast.owner)
    first = f.drive(f.draft(cast.owner, "self_declare", b), "pph_verification", cast)
    Application.objects.filter(pk=first.pk).update(due_on=timezone.localdate().replace(year=2025))
    client = _client(cast.reviewer)
    client.get("/")  # the session row exists before counting
    # session, user, roles, region choices, count, page, and while the assignment lists are not cached: group ids,
    # reviewers, pph
    with django_assert_num_queries(9):
        client.get("/cases/")
    with django_assert_num_queries(6) as one:
        page = client.get("/cases/").content.decode()
    assert 'class="overdue"' in page
    for _ in range(49):
        f.drive(f.draft(cast.owner, "self_declare", b), "pph_verification", cast)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/cases/").content.decode()
    assert page.count('name="applications"') == 50
    for pk in Application.objects.values_list("pk", flat=True):  # each row links to its case
        assert f'<a class="card-link" href="{reverse("certification:case", args=[pk])}">#{pk}<' in page
    first_row = page.split('name="applications" value="')[1].split('"')[0]
    assert first_row == str(first.pk)  # the overdue case sorts first


def test_the_assignment_lists_are_cached_for_a_minute_and_validated_live(cast: f.Cast, make_user: Any) -> None:
    from tests.conftest import clear_test_cache

    client = _client(cast.reviewer)
    page = client.get("/cases/").content.decode()
    assert f'<option value="{cast.pph.pk}">' in page
    newcomer = make_user("pph2@example.test", "pph")  # given the role after the lists were rendered
    assert f'<option value="{newcomer.pk}">' not in client.get("/cases/").content.decode()
    b = f.business(cast.owner)
    app = f.drive(f.draft(cast.owner, "self_declare", b), "submitted", cast)
    # The assignment is checked against the live list: the newcomer can be assigned at once.
    response = client.post("/cases/assign/", {"applications": [app.pk], "pph": newcomer.pk})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.assigned_pph == newcomer
    clear_test_cache()  # the minute has passed
    assert f'<option value="{newcomer.pk}">' in client.get("/cases/").content.decode()


def test_pages_speak_indonesian_by_default(cast: f.Cast, settings: Any) -> None:
    settings.LANGUAGE_CODE = "id"
    b = f.business(cast.owner)
    f.product(b)
    page = _client(cast.owner, "id").get("/applications/new/").content.decode()
    assert "Kelayakan self-declare Sehati" in page
    assert "Usaha memiliki NIB" in page


def test_owner_fixes_the_documents_of_a_returned_application_and_resubmits(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    p = f.product(b)
    docs = f.documents(b)
    app = f.drive(f.draft(cast.owner, "self_declare", b), "returned", cast)
    client = _client(cast.owner)
    client.post(f"/applications/{app.pk}/contents/", {"products": [p.pk], "documents": [docs[0].pk]})
    assert list(app.documents.values_list("pk", flat=True)) == [docs[0].pk]
    response = client.post(
        f"/applications/{app.pk}/act/", {"action": "resubmit", "expected_state": "returned"}, follow=True
    )
    assert "Attach the required documents" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "returned"


def test_owner_cannot_change_another_owners_application(cast: f.Cast, bob: Any) -> None:
    theirs = f.draft(bob, "regular")
    before = set(theirs.products.values_list("pk", flat=True))
    response = _client(cast.owner).post(f"/applications/{theirs.pk}/contents/", {"products": []})
    assert response.status_code == 404
    assert set(theirs.products.values_list("pk", flat=True)) == before


def test_the_case_page_links_every_document_and_shows_each_products_ingredients_and_steps(
    cast: f.Cast, django_assert_max_num_queries: Any
) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    claimed = Ingredient.objects.create(product=product, name="Daun pandan", exempt_claim=True)
    ProcessStep.objects.create(product=product, order=1, stage="processing", description="Goreng").ingredients.add(
        claimed
    )
    app = f.drive(draft, "submitted", cast)
    Ingredient.objects.create(product=product, name="Perisa keju")  # after submitting: the next submission's
    client = _client(cast.reviewer)
    with django_assert_max_num_queries(45):
        page = client.get(f"/cases/{app.pk}/").content.decode()
    for document in app.documents.all():
        assert f'href="{reverse("applicants:document_download", args=[document.pk])}"' in page
    before, rest = page.split('id="live-changes"')
    live, after = rest.split("</details>", 1)
    evidence = before + after
    for name in ("Bahan 0", "Bahan 1", "Daun pandan"):
        assert name in evidence
    assert "Claimed exempt" in evidence and "the assistant confirms it on site" in evidence  # English client
    assert "Processing" in evidence and "Goreng" in evidence
    assert "Perisa keju" not in evidence and "Perisa keju" in live
    assert client.get(reverse("applicants:document_download", args=[app.documents.first().pk])).status_code == 200


def test_the_queue_counts_up_to_the_cap_and_then_says_more(cast: f.Cast, monkeypatch: Any) -> None:
    from core.web import pagination

    b = f.business(cast.owner)
    for _ in range(3):
        f.drive(f.draft(cast.owner, "self_declare", b), "submitted", cast)
    client = _client(cast.reviewer)
    page = client.get("/cases/").content.decode()
    assert "3 applications" in page and "Page 1 of 1" in page
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    page = client.get("/cases/").content.decode()
    assert "More than 2 applications" in page and "Page 1<" in page and page.count('name="applications"') == 3


def _owner_page_queries(client: Any, app: Application) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/applications/{app.pk}/")  # the session row and the cached lists exist
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/applications/{app.pk}/").status_code == 200
    return len(captured.captured_queries)


def test_the_owners_case_page_costs_the_same_queries_for_one_product_and_many(cast: f.Cast) -> None:
    client = _client(cast.owner)
    small = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    b = f.business(cast.owner)
    extra = [f.product(b, name=f"Produk {n}", ingredients=4) for n in range(4)]
    large = f.draft(cast.owner, "self_declare", b)
    services.application_update(
        application_id=large.pk,
        actor=cast.owner,
        product_ids=[*large.products.values_list("pk", flat=True), *(p.pk for p in extra)],
        document_ids=list(large.documents.values_list("pk", flat=True)),
    )
    large = f.drive(large, "pph_verification", cast)
    assert large.products.count() == 5
    assert _owner_page_queries(client, small) == _owner_page_queries(client, large)


def test_the_owners_home_costs_the_same_queries_for_one_business_and_many(cast: f.Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cast.owner)
    f.business(cast.owner)
    client.get("/home/")
    with CaptureQueriesContext(connection) as one:
        client.get("/home/")
    for n in range(3):
        f.drive(f.draft(cast.owner, "self_declare", f.business(cast.owner, name=f"Usaha {n}")), "submitted", cast)
    client.get("/home/")  # the businesses' panel changed: built once (one more query), then kept like the first
    with CaptureQueriesContext(connection) as many:
        page = client.get("/home/").content.decode()
    assert "Usaha 2" in page
    assert len(one.captured_queries) == len(many.captured_queries)
