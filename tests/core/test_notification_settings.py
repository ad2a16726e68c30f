"""Preferences per kind and channel, the WhatsApp number's one-time code (rate limited), SMS, and the signed
unsubscribe link at the foot of every e-mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import NotificationPreference, PhoneVerification, User
from core.notifications.services import notification_send
from core.notifications.tasks import deliver
from tests.core.notify_servers import PHONE_NUMBER_ID, TOKEN, CloudApi, cloud_api_server, sms_gateway_server

pytestmark = pytest.mark.django_db
REVOKED = {"certificate": {"number": "ID-1", "business_name": "Keripik", "revocation_reason": "x"}}


def _client(user: User, language: str = "id") -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language})
    return client


@pytest.fixture
def cloud_api(settings: Any) -> Iterator[CloudApi]:
    for api in cloud_api_server():
        settings.WHATSAPP_API_URL, settings.WHATSAPP_TOKEN = api.url, TOKEN
        settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
        yield api


def _channels(notification: Any) -> list[str]:
    return sorted(notification.deliveries.values_list("channel", flat=True))


def test_the_settings_page_shows_the_defaults_and_saving_turns_a_kind_off_by_e_mail(alice: User) -> None:
    client = _client(alice, "en")
    html = client.get(reverse("notifications-settings")).content.decode()
    assert 'value="report_ready:email" checked' in html and 'value="certificate_revoked:sms">' in html
    on = ["certificate_revoked:email", "application_status:email"]
    assert client.post(reverse("notifications-settings"), {"on": on}).status_code == 302
    assert NotificationPreference.objects.get(user=alice, kind="report_ready", channel="email").enabled is False
    assert _channels(notification_send(recipient=alice, kind="report_ready", context={})) == []
    assert _channels(notification_send(recipient=alice, kind="certificate_revoked", context=REVOKED)) == ["email"]


def test_unknown_choices_are_ignored(alice: User) -> None:
    _client(alice).post(reverse("notifications-settings"), {"on": ["nonsense:email", "bad"]})
    assert not NotificationPreference.objects.filter(kind="nonsense").exists()


def test_a_verified_number_gets_important_kinds_by_sms_when_chosen(alice: User, settings: Any) -> None:
    alice.phone, alice.whatsapp_verified_at = "+6281234567890", timezone.now()
    alice.save(update_fields=["phone", "whatsapp_verified_at"])
    for gateway in sms_gateway_server():
        settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = gateway.url, "sms-secret"
        _client(alice).post(reverse("notifications-settings"), {"on": ["certificate_revoked:sms"]})
        notification = notification_send(recipient=alice, kind="certificate_revoked", context=REVOKED)
        assert _channels(notification) == ["sms"]
        deliver([notification.deliveries.get().pk])
        assert gateway.received[0]["auth"] == "Bearer sms-secret"
        assert gateway.received[0]["body"]["to"] == "6281234567890"
        assert gateway.received[0]["body"]["text"].startswith("Sertifikat halal ID-1 dicabut")
        assert notification.deliveries.get().provider_id == "sms-1"


def test_a_whatsapp_number_is_verified_by_the_code_that_arrived(alice: User, cloud_api: CloudApi) -> None:
    client = _client(alice)
    client.post(reverse("notifications-whatsapp"), {"action": "send", "phone": "0812 3456 7890"})
    sent = cloud_api.received[-1]["body"]
    assert sent["to"] == "6281234567890" and sent["template"]["name"] == "halalmsi_code"
    code = sent["template"]["components"][0]["parameters"][0]["text"]
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("notifications-whatsapp"), {"action": "confirm", "code": wrong}, follow=True)
    assert "Kode tidak benar." in response.content.decode()
    alice.refresh_from_db()
    assert alice.whatsapp_verified_at is None
    client.post(reverse("notifications-whatsapp"), {"action": "confirm", "code": code})
    alice.refresh_from_db()
    assert alice.whatsapp_verified_at is not None and alice.phone == "+6281234567890"


def test_codes_are_rate_limited_to_three_an_hour(alice: User, cloud_api: CloudApi) -> None:
    client = _client(alice)
    for _ in range(3):
        client.post(reverse("notifications-whatsapp"), {"action": "send", "phone": "081234567890"})
    response = client.post(reverse("notifications-whatsapp"), {"action": "send", "phone": "081234567890"}, follow=True)
    assert "Terlalu banyak kode" in response.content.decode()
    assert PhoneVerification.objects.filter(user=alice).count() == 3 and len(cloud_api.received) == 3


def test_a_bad_number_is_refused_in_indonesian_and_nothing_is_written(alice: User, cloud_api: CloudApi) -> None:
    response = _client(alice).post(reverse("notifications-whatsapp"), {"action": "send", "phone": "12ab"}, follow=True)
    assert "Masukkan nomor ponsel Indonesia" in response.content.decode()
    assert not PhoneVerification.objects.exists() and cloud_api.received == []


def test_asking_for_a_code_when_whatsapp_is_not_set_up_says_so(alice: User, settings: Any) -> None:
    settings.WHATSAPP_TOKEN = ""
    response = _client(alice).post(
        reverse("notifications-whatsapp"), {"action": "send", "phone": "081234567890"}, follow=True
    )
    assert "WhatsApp belum disiapkan di platform ini." in response.content.decode()
    assert not PhoneVerification.objects.exists()


def test_the_unsubscribe_link_of_an_e_mail_stops_that_kind_by_e_mail(
    alice: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=alice, kind="report_ready", context={})
    link = re.search(r"http://127\.0\.0\.1:8000(/notifications/unsubscribe/\S+/)", mailoutbox[0].body)
    assert link
    anonymous = Client()
    assert "Stop" in anonymous.get(link.group(1), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not NotificationPreference.objects.exists()  # a GET changes nothing
    anonymous.post(link.group(1))
    assert NotificationPreference.objects.get(user=alice, kind="report_ready", channel="email").enabled is False
    assert _channels(notification_send(recipient=alice, kind="report_ready", context={})) == []


def test_a_forged_unsubscribe_link_answers_404(alice: User) -> None:
    assert Client().post("/notifications/unsubscribe/eyJ1IjoxLCJrIjoicmVwb3J0X3JlYWR5In0:forged/").status_code == 404
    assert not NotificationPreference.objects.exists()
