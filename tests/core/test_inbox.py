"""The in-app inbox: the bell's unread count for every role (one query), the list, marking read, someone else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import Notification, User
from core.notifications.services import notification_send

pytestmark = pytest.mark.django_db

CONTEXT = {"report": {"pk": 1, "month": "2026-01-01", "region": "Lampung"}}


def _tell(user: User, times: int = 1, link: str = "/staff/reports/1/") -> list[Notification]:
    return [notification_send(recipient=user, kind="report_ready", context=CONTEXT, link=link) for _ in range(times)]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["alice", "pat", "rina", "oscar", "ayu"])
def test_the_bell_shows_the_unread_count_for_every_role(who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    _tell(user, 2)
    with translation.override("id"):
        html = _client(user).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-unread="2"' in html and 'class="bell-count" aria-hidden="true">2<' in html


def test_the_bell_costs_no_query_its_number_comes_with_the_user_row(alice: User) -> None:
    _tell(alice, 3)
    client = _client(alice)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assert 'data-unread="3"' in html
    assert not any('"core_notification"' in q["sql"] for q in queries.captured_queries)


def test_a_person_without_unread_notifications_sees_no_count(alice: User) -> None:
    html = _client(alice).get(reverse("home")).content.decode()
    assert 'data-unread="0"' in html and "bell-count" not in html


@pytest.mark.parametrize("rows", [1, 25])
def test_the_inbox_lists_only_my_notifications_in_a_fixed_number_of_queries(
    rows: int, alice: User, bob: User, django_assert_num_queries: Any
) -> None:
    _tell(alice, rows)
    _tell(bob, 1, link="/bob-only/")
    client = _client(alice)
    # session, user, roles, page count, page rows
    with django_assert_num_queries(5):
        response = client.get(reverse("inbox"))
    html = response.content.decode()
    assert html.count('class="unread"') == rows and "/bob-only/" not in html


def test_marking_one_read_lowers_the_count_and_someone_elses_answers_404(alice: User, bob: User) -> None:
    mine, theirs = _tell(alice)[0], _tell(bob)[0]
    client = _client(alice)
    assert client.post(reverse("inbox-read"), {"notification": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(reverse("inbox-read"), {"notification": mine.pk})
    assert response.status_code == 302 and response["Location"] == reverse("inbox")
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'data-unread="0"' in client.get(reverse("inbox")).content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(alice: User) -> None:
    notification = _tell(alice, link="/applications/7/")[0]
    response = _client(alice).post(reverse("inbox-read"), {"notification": notification.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/applications/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read(alice: User, bob: User) -> None:
    _tell(alice, 3)
    _tell(bob, 1)
    _client(alice).post(reverse("inbox-read"), {"all": "1"})
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.unread_notifications, bob.unread_notifications) == (0, 1)
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_marking_read_without_a_choice_says_so_in_indonesian_and_writes_nothing(alice: User) -> None:
    _tell(alice, 2)
    client = _client(alice)
    client.post(reverse("set_language"), {"language": "id"})
    response = client.post(reverse("inbox-read"), {"notification": "abc"}, follow=True)
    assert "Pilih notifikasi." in response.content.decode()
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 2


def test_the_inbox_says_which_channels_are_off(alice: User, settings: Any) -> None:
    settings.WHATSAPP_TOKEN = settings.WHATSAPP_PHONE_NUMBER_ID = settings.SMS_GATEWAY_URL = ""
    client = _client(alice)
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("inbox")).content.decode()
    assert "WhatsApp is not set up on this platform yet." in html and "SMS is not set up" in html
