"""The owner's home (issue 34, part D): the businesses with their completeness are kept under their dossiers'
generations, so the panel costs the same queries for one business and many, and every change shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from applicants.models import Business, Document
from tests.applicants.factories import (
    BusinessFactory,
    FiguresFactory,
    IngredientFactory,
    ProductFactory,
    document,
    supervisor,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _panel(client: Client) -> str:
    page = client.get("/home/").content.decode()
    return page.split('id="home-owner"')[1].split("</section>")[0]


def _complete_but_figures(owner: Any, name: str) -> Business:
    business = BusinessFactory(owner=owner, name=name)
    supervisor(business)
    IngredientFactory(product=ProductFactory(business=business))
    document(business, kind=Document.Kind.NIB)
    return business


@pytest.mark.parametrize("rows", [1, 4])
def test_the_owners_home_costs_the_same_queries_for_one_business_and_many(
    alice: Any, rows: int, django_assert_num_queries: Any
) -> None:
    for n in range(rows):
        FiguresFactory(business=_complete_but_figures(alice, f"Usaha {n}"))
    client = _client(alice)
    client.get("/home/")  # the session row exists and the panel is kept
    # session, user, roles; the ids of the owner's businesses (the panel itself from the cache); the open yearly
    # confirmations (the open trainings are kept by training). Before: the same count, with the five EXISTS of the
    # completeness compiled and run on every load.
    with django_assert_num_queries(5):
        panel = _panel(client)
    assert panel.count("100% complete") == rows


def test_a_change_of_a_business_shows_on_the_owners_home_at_once(alice: Any) -> None:
    business = _complete_but_figures(alice, "Keripik Alice")
    client = _client(alice)
    assert "75% complete" in _panel(client)
    FiguresFactory(business=business)
    assert "100% complete" in _panel(client)
    Document.objects.filter(business=business, kind=Document.Kind.NIB).delete()
    assert "75% complete" in _panel(client)
    business.name = "Keripik Alice Jaya"
    business.save()
    assert "Keripik Alice Jaya" in _panel(client)
    BusinessFactory(owner=alice, name="Usaha kedua")
    assert "Usaha kedua" in _panel(client)


def test_one_owners_businesses_never_show_on_another_owners_home(alice: Any, bob: Any) -> None:
    _complete_but_figures(alice, "Rahasia Alice")
    _complete_but_figures(bob, "Resep Bob")
    alice_client, bob_client = _client(alice), _client(bob)
    for _ in range(2):  # the first load fills the cache, the second reads it
        mine, theirs = _panel(alice_client), _panel(bob_client)
        assert "Rahasia Alice" in mine and "Resep Bob" not in mine
        assert "Resep Bob" in theirs and "Rahasia Alice" not in theirs


def test_a_business_handed_to_another_owner_leaves_the_first_owners_home(alice: Any, bob: Any) -> None:
    business = _complete_but_figures(alice, "Usaha pindah tangan")
    alice_client, bob_client = _client(alice), _client(bob)
    assert "Usaha pindah tangan" in _panel(alice_client)
    Business.objects.filter(pk=business.pk).update(owner=bob)  # no signal: the ids in the key still move
    assert "Usaha pindah tangan" not in _panel(alice_client)
    assert "Usaha pindah tangan" in _panel(bob_client)
