"""Card lists (issue 32, item 4): the owner's and the assistant's lists mark the deadline and status cells the
phone layout puts first, the owner's own deadline when the office waits for them, and take the same queries for one
row as for many."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.certification import factories as f


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/")  # the session row exists before counting
    return client


def test_the_owners_list_shows_their_own_deadline_first_and_pins_its_queries(
    cast: f.Cast, fee_schedules: None, django_assert_num_queries: Any
) -> None:
    waiting = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    client = _client(cast.owner)
    with django_assert_num_queries(5) as one:  # session, user, roles, the yearly confirmations box, the page
        page = client.get("/applications/").content.decode()
    assert 'class="card-list"' in page and f'href="/applications/{waiting.pk}/"' in page
    assert f'data-label="Pay by">{waiting.owner_due_on:%-d} ' in page
    for _ in range(4):
        f.draft(cast.owner, "self_declare")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/applications/").content.decode().count('class="card-link"') == 5


def test_the_assistants_list_marks_the_card_cells_and_pins_its_queries(
    cast: f.Cast, django_assert_num_queries: Any
) -> None:
    f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    client = _client(cast.pph)
    with django_assert_num_queries(4) as one:
        page = client.get("/assist/").content.decode()
    assert 'class="card-due"' in page and 'class="card-status"' in page
    for _ in range(3):
        f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/assist/").content.decode().count('class="card-link"') == 4
