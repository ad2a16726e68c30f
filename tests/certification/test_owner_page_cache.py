"""The owner's page of a draft or returned case (issue 34, part D): its checklist and its products-and-documents
form are kept under the live dossier's key, so a page costs the same queries whatever the case holds, every change
of what they are built from shows on the next load, and one case's entry never answers another."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from applicants.dossier.services import person_save
from applicants.models import Person
from applicants.services import product_update
from certification import services
from certification.models import Application, SelfDeclareCategory
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _returned(cast: f.Cast, owner: Any, *, products: int) -> Application:
    """A regular case returned to its owner from document verification, with `products` products."""
    draft = f.draft(owner, "regular")
    more = [f.product(draft.business, name=f"Produk {n}", ingredients=5) for n in range(products - 1)]
    if more:
        services.application_update(
            application_id=draft.pk,
            actor=owner,
            product_ids=[*draft.products.values_list("pk", flat=True), *(p.pk for p in more)],
            document_ids=list(draft.documents.values_list("pk", flat=True)),
        )
    app = f.drive(draft, "returned", f.Cast(owner=owner, reviewer=cast.reviewer, pph=cast.pph))
    assert app.products.count() == products
    return app


def _needs(page: str) -> str:
    return page.split('id="needs"')[1].split("</section>")[0]


def _form(page: str, pk: int) -> str:
    return page.split(f'action="/applications/{pk}/contents/"')[1].split("</form>")[0]


def test_a_returned_cases_page_costs_the_same_queries_for_one_product_and_many(
    cast: f.Cast, django_assert_num_queries: Any
) -> None:
    small = _returned(cast, cast.owner, products=1)
    large = _returned(cast, cast.owner, products=4)
    client = _client(cast.owner)
    client.get("/")  # the session row exists before counting
    for app in (small, large):
        client.get(f"/applications/{app.pk}/")  # the checklist and the form are kept
    # session, user, roles; the case; messages, events; the calendar of a year the test database has not frozen
    # (2); the evidence's frozen documents and earlier submissions; the case's own documents. Before: 17 and 18 (the
    # checklist read products, documents, the supervisor and the steps; the form its choices and the case's choice)
    with django_assert_num_queries(9):
        small_page = client.get(f"/applications/{small.pk}/").content.decode()
    with django_assert_num_queries(9):
        large_page = client.get(f"/applications/{large.pk}/").content.decode()
    assert "Produk 2" in _form(large_page, large.pk) and "Produk 2" not in _form(small_page, small.pk)
    assert "Before you submit" in small_page


def test_a_change_of_the_dossier_shows_on_the_next_load_of_a_returned_case(cast: f.Cast) -> None:
    app = _returned(cast, cast.owner, products=1)
    client = _client(cast.owner)
    url = f"/applications/{app.pk}/"
    page = client.get(url).content.decode()
    assert 'class="done"><span class="badge ok">✓</span>\n        Halal supervisor' in _needs(page)
    # a new product of the business is offered in the form at once
    f.product(app.business, name="Kerupuk udang")
    assert "Kerupuk udang" in _form(client.get(url).content.decode(), app.pk)
    # the case's own choice (the m2m of the case) shows checked at once
    extra = app.business.products.get(name="Kerupuk udang")
    services.application_update(
        application_id=app.pk,
        actor=cast.owner,
        product_ids=[extra.pk],
        document_ids=list(app.documents.values_list("pk", flat=True)),
    )
    form = _form(client.get(url).content.decode(), app.pk)
    checked = [chunk for chunk in form.split("<label") if "checked" in chunk]
    assert any("Kerupuk udang" in chunk for chunk in checked)
    assert not any("Keripik pisang" in chunk for chunk in checked)
    # a renamed product is shown under its new name
    product_update(actor=cast.owner, product=extra, fields={"name": "Kerupuk udang pedas"})
    assert "Kerupuk udang pedas" in _form(client.get(url).content.decode(), app.pk)
    # the supervisor removed: the checklist says it is missing on the next load
    Person.objects.filter(business=app.business, role=Person.Role.SUPERVISOR).delete()
    needs = _needs(client.get(url).content.decode())
    assert 'class="todo"><span class="badge warn">missing</span>' in needs and "Halal supervisor" in needs
    person_save(
        actor=cast.owner,
        business=app.business,
        role="supervisor",
        fields={"name": "Siti Aminah", "nik": "1871014506850002", "religion": "islam"},
    )
    assert "missing" not in _needs(client.get(url).content.decode())


def test_one_owners_returned_case_never_shows_on_another_owners_page(cast: f.Cast, bob: Any) -> None:
    mine = _returned(cast, cast.owner, products=1)
    theirs = _returned(cast, bob, products=1)
    product_update(actor=cast.owner, product=mine.products.get(), fields={"name": "Rahasia Alice"})
    product_update(actor=bob, product=theirs.products.get(), fields={"name": "Resep Bob"})
    alice, other = _client(cast.owner), _client(bob)
    mine_page = alice.get(f"/applications/{mine.pk}/").content.decode()
    theirs_page = other.get(f"/applications/{theirs.pk}/").content.decode()
    assert "Rahasia Alice" in _form(mine_page, mine.pk) and "Resep Bob" not in mine_page
    assert "Resep Bob" in _form(theirs_page, theirs.pk) and "Rahasia Alice" not in theirs_page
    # a second load (from the cache) still answers each owner with their own case
    assert "Resep Bob" not in alice.get(f"/applications/{mine.pk}/").content.decode()
    assert "Rahasia Alice" not in other.get(f"/applications/{theirs.pk}/").content.decode()
    assert other.get(f"/applications/{mine.pk}/").status_code == 404
    assert alice.get(f"/applications/{theirs.pk}/").status_code == 404


def test_the_kept_checklist_follows_the_language_of_the_request(cast: f.Cast) -> None:
    app = _returned(cast, cast.owner, products=1)
    url = f"/applications/{app.pk}/"
    assert "Before you submit" in _client(cast.owner, "en").get(url).content.decode()
    page = _client(cast.owner, "id").get(url).content.decode()
    assert "Before you submit" not in page and "Halal supervisor named" not in _needs(page)


def _line(needs: str, label: str) -> str:
    """The class of the checklist line with `label` ("done" or "todo")."""
    return next(chunk for chunk in needs.split("<li ")[1:] if label in chunk).split('"')[1]


def test_closing_a_product_category_to_self_declare_shows_on_a_drafts_checklist_at_once(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    client = _client(cast.owner)
    url = f"/applications/{draft.pk}/"
    assert _line(_needs(client.get(url).content.decode()), "Meets the self-declare") == "done"
    row = SelfDeclareCategory.objects.get(code=draft.products.get().category)  # seeded open by the migrations
    row.open = False
    row.save()
    assert _line(_needs(client.get(url).content.decode()), "Meets the self-declare") == "todo"
