"""The notification service: every kind renders on every channel, WhatsApp through a local Cloud API server
(sent once, 5xx and timeouts retried with backoff, 4xx not), e-mail through a real local SMTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import ApplicationEvent
from certification.tasks import notify_owner_of_event
from core.models import Delivery, Notification, User
from core.notifications.services import KINDS, notification_send, render_email, render_line, render_short
from core.notifications.tasks import deliver
from tests.certification import factories as f
from tests.core.notify_servers import PHONE_NUMBER_ID, TOKEN, CloudApi, Inbox, cloud_api_server, smtp_server

SAMPLES: dict[str, dict[str, Any]] = {
    "application_status": {
        "application": {"pk": 7, "business": {"name": "Keripik Bu Sri"}, "return_reason": "", "rejection_reason": ""},
        "event": {"to_state": "submitted", "note": ""},
        "state_id": "Diajukan",
        "state_en": "Submitted",
    },
    "application_resubmitted": {"application": {"pk": 7, "business": {"name": "Keripik Bu Sri"}}},
    "payment_proof": {
        "application": {"pk": 7, "business": {"name": "Keripik Bu Sri"}},
        "bill": {"amount": 650000, "channel": "simponi", "code": "820226000000007", "bank": ""},
    },
    "case_window": {
        "application": {"pk": 7, "business": {"name": "Keripik Bu Sri"}},
        "reminder": {"step": "last_day", "window_ends_on": "2026-03-02"},
        "waiting_for": "payment",
    },
    "certificate_revoked": {
        "certificate": {"number": "ID-LPG-0001", "business_name": "Keripik Bu Sri", "revocation_reason": "Pork"}
    },
    "followup_reminder": {
        "program": {"pk": 3, "title": "Higiene", "follow_up_due_on": "2026-02-06", "end_date": "2026-01-07"},
        "step": 1,
        "lacking": [{"business": {"name": "Keripik Bu Sri", "nib": "9100000000001"}}],
        "escalated": False,
    },
    "report_ready": {"report": {"pk": 1, "month": "2026-01-01", "region": "Lampung"}},
    "application_appealed": {
        "application": {"pk": 7, "business": {"name": "Keripik Bu Sri"}},
        "event": {"note": "Bahan sudah diganti", "due_on": "2026-03-02"},
    },
    "case_message": {"application": {"pk": 7}, "author": "Rina Kusuma", "excerpt": "Ya, dari dua sisi."},
    "case_note": {"application": {"pk": 7}, "author": "Rina Kusuma", "excerpt": "Cek ulang NIB."},
    "training_announcement": {
        "program": {"pk": 3, "title": "Pemasaran Digital"},
        "author": "Oscar Petugas",
        "excerpt": "Bawa laptop.",
    },
    "training_question": {
        "program": {"pk": 3, "title": "Pemasaran Digital"},
        "author": "Alice Pemilik",
        "excerpt": "Apakah ada sertifikat?",
    },
    "composition_check": {
        "certificate": {"number": "ID18110000000010326", "business_name": "Keripik Bu Sri", "products_text": "Keripik"},
        "check": {"anniversary": "2026-03-10"},
        "step": "reminder",
    },
    "certificate_expiry": {
        "certificate": {"number": "ID18110000000010326", "business_name": "Keripik Bu Sri", "products_text": "Keripik"},
        "reminder": {"expires_on": "2026-06-01", "days_before": 30},
    },
    "permit_expiry": {
        "permit": {"kind": "SPP-IRT", "number": "206187101012325", "expires_on": "2026-09-30"},
        "product": {"name": "Keripik Pisang"},
        "business": {"name": "Keripik Bu Sri"},
        "days": 30,
    },
    "facilitation_due": {
        "case": {"pk": 4, "business": "Keripik Bu Sri", "stage": "Documents complete", "due_on": "2026-05-04"},
    },
    "training_place": {"program": {"pk": 3, "title": "Pemasaran Digital"}, "business": "Keripik Bu Sri"},
    "facilitation_status": {
        "case": {
            "pk": 4,
            "business": "Keripik Bu Sri",
            "product": "Keripik Pisang",
            "state": "registered",
            "md_number": "MD224512345678",
            "reason": "",
            "due_on": None,
        },
    },
}


def test_every_kind_of_the_platform_has_a_sample_here() -> None:
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_in_app_e_mail_and_whatsapp_indonesian_first(kind: str, alice: User) -> None:
    notification = Notification(recipient=alice, kind=kind, context=SAMPLES[kind], link="/x/1/")
    line_id, line_en = render_line(notification, "id"), render_line(notification, "en")
    assert line_id and line_en and "{" not in line_id
    subject, body = render_email(notification)
    assert " / " in subject and "\n---\n" in body and "http://127.0.0.1:8000/x/1/" in body
    subject_id, subject_en = subject.split(" / ", 1)
    assert subject_id != subject_en and line_id != line_en  # Indonesian first, then English
    assert render_short(notification).endswith("http://127.0.0.1:8000/x/1/")


def test_the_indonesian_line_is_translated(db: None, alice: User) -> None:
    notification = Notification(recipient=alice, kind="report_ready", context=SAMPLES["report_ready"])
    assert render_line(notification, "id") == "Laporan bulanan Januari 2026 sudah siap"
    assert render_line(notification, "en") == "The monthly report for January 2026 is ready"


# --- WhatsApp, against a local server speaking the Cloud API's message endpoint ------------------------------------
@pytest.fixture
def cloud_api(settings: Any) -> Iterator[CloudApi]:
    for api in cloud_api_server():
        settings.WHATSAPP_API_URL = api.url
        settings.WHATSAPP_TOKEN = TOKEN
        settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
        settings.NOTIFY_HTTP_TIMEOUT = 1
        settings.NOTIFY_MAX_ATTEMPTS = 4
        settings.NOTIFY_RETRY_BASE_SECONDS = 30
        yield api


@pytest.fixture
def verified_alice(alice: User) -> User:
    alice.phone = "0812-3456-7890"
    alice.whatsapp_verified_at = timezone.now()
    alice.save(update_fields=["phone", "whatsapp_verified_at"])
    return alice


@pytest.fixture
def event(verified_alice: User, rina: User, pat: User) -> ApplicationEvent:
    f.national_quota(places=10)
    app = f.drive(
        f.draft(verified_alice, "self_declare"), "submitted", f.Cast(owner=verified_alice, reviewer=rina, pph=pat)
    )
    last = ApplicationEvent.objects.filter(application=app).order_by("id").last()
    assert last is not None
    return last


def _whatsapp(notification: Notification) -> Delivery:
    return notification.deliveries.get(channel="whatsapp")


def test_an_owner_with_a_verified_number_is_told_in_app_and_by_whatsapp_once_even_when_tasks_run_twice(
    cloud_api: CloudApi, event: ApplicationEvent, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_owner_of_event(event.pk) == 1
        assert notify_owner_of_event(event.pk) == 0  # the event is claimed: told once
    notification = Notification.objects.get(recipient=event.application.business.owner)
    assert notification.read_at is None and notification.link.endswith(f"/{event.application_id}/")
    delivery = _whatsapp(notification)
    assert (delivery.status, delivery.attempts, delivery.provider_id) == ("sent", 1, "wamid.HBgM1")
    assert deliver([delivery.pk]) == 0  # the delivery task run again claims nothing
    assert len(cloud_api.received) == 1
    request = cloud_api.received[0]
    assert request["auth"] == f"Bearer {TOKEN}" and request["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    body = request["body"]
    assert (body["messaging_product"], body["to"], body["type"]) == ("whatsapp", "6281234567890", "template")
    assert body["template"]["name"] == "halalmsi_notice" and body["template"]["language"] == {"code": "id"}
    texts = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert texts[0].startswith(f"Permohonan #{event.application_id}") and texts[1].startswith("http://127.0.0.1:8000/")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [event.application.business.owner.email]


def test_a_500_is_retried_with_exponential_backoff_and_then_logged_as_failed(
    cloud_api: CloudApi, verified_alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    cloud_api.script = [500, 500, 500, 500, 200]
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            recipient=verified_alice, kind="certificate_revoked", context=SAMPLES["certificate_revoked"]
        )
    delivery = _whatsapp(notification)
    assert (delivery.status, delivery.attempts) == ("failed", 4)
    assert len(cloud_api.received) == 4
    assert [entry["code"] for entry in delivery.log] == [500, 500, 500, 500]
    assert [entry.get("retry_in") for entry in delivery.log] == [30, 60, 120, None]
    assert "131000" in delivery.provider_answer


def test_a_400_is_not_retried_and_the_answer_is_kept(
    cloud_api: CloudApi, verified_alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    cloud_api.script = [400]
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            recipient=verified_alice, kind="certificate_revoked", context=SAMPLES["certificate_revoked"]
        )
    delivery = _whatsapp(notification)
    assert (delivery.status, delivery.attempts, len(cloud_api.received)) == ("failed", 1, 1)
    assert "Message Undeliverable" in delivery.provider_answer and delivery.log[0]["outcome"] == "failed"


def test_a_timeout_is_retried_and_the_next_attempt_goes_through(
    cloud_api: CloudApi, verified_alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    cloud_api.script = ["timeout", 200]
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipient=verified_alice, kind="case_window", context=SAMPLES["case_window"])
    delivery = _whatsapp(notification)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert delivery.log[0]["outcome"] == "retry" and "timeout" in delivery.log[0]["answer"]
    assert delivery.log[0]["retry_in"] == 30


def test_whatsapp_is_off_without_its_settings_and_for_an_unverified_number(
    settings: Any, alice: User, verified_alice: User, cloud_api: CloudApi
) -> None:
    kind, context = "certificate_revoked", SAMPLES["certificate_revoked"]
    assert (
        notification_send(recipient=verified_alice, kind=kind, context=context)
        .deliveries.filter(channel="whatsapp")
        .exists()
    )
    settings.WHATSAPP_TOKEN = ""
    assert (
        not notification_send(recipient=verified_alice, kind=kind, context=context)
        .deliveries.filter(channel="whatsapp")
        .exists()
    )
    settings.WHATSAPP_TOKEN = TOKEN
    verified_alice.whatsapp_verified_at = None
    verified_alice.save(update_fields=["whatsapp_verified_at"])
    assert (
        not notification_send(recipient=verified_alice, kind=kind, context=context)
        .deliveries.filter(channel="whatsapp")
        .exists()
    )


def test_an_unimportant_kind_never_goes_by_whatsapp(cloud_api: CloudApi, verified_alice: User) -> None:
    notification = notification_send(recipient=verified_alice, kind="report_ready", context=SAMPLES["report_ready"])
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]


def test_an_unknown_kind_is_refused(alice: User) -> None:
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notification_send(recipient=alice, kind="nonsense", context={})
    assert not Notification.objects.exists()


# --- E-mail, through a real SMTP server on 127.0.0.1 ----------------------------------------------------------------
@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    for inbox, port in smtp_server():
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
        yield inbox


def test_an_e_mail_arrives_at_the_smtp_server_in_indonesian_then_english(
    smtp: Inbox, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            recipient=alice, kind="report_ready", context=SAMPLES["report_ready"], link="/staff/reports/1/download/"
        )
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["to"] == [alice.email]
    assert (
        "Laporan bulanan Januari 2026" in message["data"] and "The monthly report for January 2026" in message["data"]
    )
    assert message["data"].index("Laporan") < message["data"].index("The monthly report")
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.log[0]["code"]) == ("sent", 1, 250)


def test_an_smtp_server_that_is_down_is_retried_then_failed(
    settings: Any, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    for _inbox, port in smtp_server():
        closed_port = port  # the server is stopped after this loop: nothing listens there any more
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port, False
    settings.NOTIFY_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipient=alice, kind="report_ready", context=SAMPLES["report_ready"])
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert all("ConnectionRefusedError" in entry["answer"] for entry in delivery.log)


def test_dates_in_the_context_are_stored_as_iso_strings(alice: User) -> None:
    notification = notification_send(
        recipient=alice, kind="report_ready", context={"report": {"pk": 1, "month": dt.date(2026, 1, 1), "region": "X"}}
    )
    notification.refresh_from_db()
    assert notification.context["report"]["month"] == "2026-01-01"


# --- The status webhook: delivered / read / failed, signed by the app secret -----------------------------------------
def _webhook_body(message_id: str, status: str, errors: list[dict[str, Any]] | None = None) -> bytes:
    entry: dict[str, Any] = {"id": message_id, "status": status, "timestamp": "1767225600", "recipient_id": "62812"}
    if errors:
        entry["errors"] = errors
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {"statuses": [entry]}}]}],
    }
    return json.dumps(payload).encode()


def _signed(body: bytes, secret: str = "app-secret") -> str:  # noqa: S107 - the test app's secret
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def webhook(settings: Any) -> str:
    settings.WHATSAPP_APP_SECRET, settings.WHATSAPP_VERIFY_TOKEN = "app-secret", "verify-me"
    return reverse("whatsapp-webhook")


def _sent_whatsapp(cloud_api: CloudApi, user: User, capture: Any) -> Delivery:
    with capture(execute=True):
        notification = notification_send(
            recipient=user, kind="certificate_revoked", context=SAMPLES["certificate_revoked"]
        )
    return _whatsapp(notification)


def test_the_webhook_answers_metas_subscription_check(webhook: str, client: Any) -> None:
    ok = client.get(webhook, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    assert client.get(webhook, {"hub.mode": "subscribe", "hub.verify_token": "wrong"}).status_code == 403


def test_a_delivered_status_marks_the_delivery_delivered(
    webhook: str, client: Any, cloud_api: CloudApi, verified_alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    delivery = _sent_whatsapp(cloud_api, verified_alice, django_capture_on_commit_callbacks)
    body = _webhook_body(delivery.provider_id, "delivered")
    response = client.post(webhook, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=_signed(body))
    assert response.json() == {"updated": 1}
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.log[-1]["from"] == "webhook"


def test_a_failed_status_keeps_the_providers_error(
    webhook: str, client: Any, cloud_api: CloudApi, verified_alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    delivery = _sent_whatsapp(cloud_api, verified_alice, django_capture_on_commit_callbacks)
    body = _webhook_body(delivery.provider_id, "failed", [{"code": 131047, "title": "Re-engagement message"}])
    client.post(webhook, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=_signed(body))
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "131047" in delivery.provider_answer


def test_an_unsigned_or_forged_status_changes_nothing(
    webhook: str, client: Any, cloud_api: CloudApi, verified_alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    delivery = _sent_whatsapp(cloud_api, verified_alice, django_capture_on_commit_callbacks)
    body = _webhook_body(delivery.provider_id, "delivered")
    forged = _signed(body, "not-the-secret")
    assert (
        client.post(webhook, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=forged).status_code == 403
    )
    assert client.post(webhook, body, content_type="application/json").status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_the_webhook_is_off_without_its_secret(client: Any, settings: Any) -> None:
    settings.WHATSAPP_APP_SECRET = ""
    assert client.get(reverse("whatsapp-webhook")).status_code == 404
