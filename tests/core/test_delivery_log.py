"""The staff's delivery log per case and per person, and the dashboard's figure of failed deliveries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Delivery, User
from core.notifications.services import notification_send

pytestmark = pytest.mark.django_db
REVOKED = {"certificate": {"number": "ID-1", "business_name": "Keripik", "revocation_reason": "x"}}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en"})
    return client


def _region(code: str) -> int:
    from applicants.models import Region

    return int(Region.objects.get(code=code).pk)


def _told(
    user: User, topic: str, status: str = "sent", answer: str = "", region: str = "1871"
) -> None:  # Bandar Lampung unless said
    notification = notification_send(
        recipient=user, kind="certificate_revoked", context=REVOKED, topic=topic, region_id=_region(region)
    )
    notification.deliveries.update(status=status, attempts=1, provider_answer=answer)


def test_staff_see_who_was_told_what_about_a_case_and_whether_it_arrived(alice: User, bob: User, rina: User) -> None:
    _told(alice, "application:12", "failed", '{"error": {"code": 131026}}')
    _told(bob, "application:99")
    html = _client(rina).get(reverse("delivery-log"), {"about": "application:12"}).content.decode()
    assert alice.email in html and bob.email not in html
    assert "failed" in html and "131026" in html and "Halal certificate ID-1 was revoked" in html


def test_the_log_says_what_a_notice_was_about_in_words_never_its_stored_key(alice: User, bob: User, rina: User) -> None:
    _told(alice, "application:31", answer="accepted for alice@example.test")
    _told(bob, "application:32")
    client = Client()
    client.force_login(rina)
    html = client.get(reverse("delivery-log"), {"about": "31"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert alice.email in html and bob.email not in html  # the case number as people type it
    assert "Permohonan #31</a>" in html and "Nomor permohonan" in html
    assert "application:31" not in html and "certificate_revoked" not in html
    assert "Jawaban penyedia, apa adanya:" in html and '<code lang="en">accepted for' in html


def test_the_log_per_person(alice: User, bob: User, oscar: User) -> None:
    _told(alice, "application:1")
    _told(bob, "application:2")
    html = _client(oscar).get(reverse("delivery-log"), {"person": bob.email}).content.decode()
    assert bob.email in html and alice.email not in html


def test_an_unknown_person_looks_like_a_person_without_notices_in_reach(ayu: User, alice: User, bob: User) -> None:
    _told(alice, "application:1")
    html = _client(ayu).get(reverse("delivery-log"), {"person": "nobody@example.test"}).content.decode()
    assert "No notice about your regions matches this search." in html and alice.email not in html
    # bob has an account but no notice: the page says exactly the same (it never tells who has an account)
    other = _client(ayu).get(reverse("delivery-log"), {"person": bob.email}).content.decode()
    assert "No notice about your regions matches this search." in other


def test_staff_of_another_province_see_none_of_lampungs_notices(
    alice: User, bob: User, rina: User, make_user: Any
) -> None:
    from tests.conftest import works_for

    _told(alice, "application:77", region="1871")
    _told(bob, "application:40", region="3273")  # Kota Bandung
    dewi = works_for(make_user("dewi@jabar.test", "reviewer"), "32")
    for query in ({}, {"about": "application:77"}, {"person": alice.email}):
        html = _client(dewi).get(reverse("delivery-log"), query).content.decode()
        assert f">{alice.email}</td>" not in html and "Application #77</a>" not in html
        assert "No notice about your regions matches this search." in html or not query
    html = _client(dewi).get(reverse("delivery-log")).content.decode()
    assert f">{bob.email}</td>" in html  # Jawa Barat's own notice is there: the filter is not simply empty
    lampung = _client(rina).get(reverse("delivery-log")).content.decode()
    assert f">{alice.email}</td>" in lampung and f">{bob.email}</td>" not in lampung


def test_owners_may_not_read_the_log(alice: User) -> None:
    assert _client(alice).get(reverse("delivery-log")).status_code == 403


@pytest.mark.parametrize("rows", [1, 20])
def test_the_log_runs_a_fixed_number_of_queries(
    rows: int, alice: User, rina: User, django_assert_num_queries: Any
) -> None:
    for _ in range(rows):
        _told(alice, "application:5")
    client = _client(rina)
    with django_assert_num_queries(5):  # session, user, roles, notifications with recipients, deliveries
        assert client.get(reverse("delivery-log")).status_code == 200


def test_the_dashboard_shows_the_failed_deliveries(alice: User, ayu: User) -> None:
    _told(alice, "application:1", "failed")
    _told(alice, "application:2", "failed")
    _told(alice, "application:3")
    assert Delivery.objects.filter(status="failed").count() == 2
    html = _client(ayu).get(reverse("dashboard:index")).content.decode()
    assert "2 failed deliveries" in html
