"""The one notification service: every kind the platform sends, listed here, and how a message is stored and sent.

An app calls `notification_send` (or `notifications_send` for many) with a recipient, a kind and a plain JSON
context, inside its own transaction. That stores a Notification (the in-app message, always), one Delivery per
further channel the kind and the person's settings allow, and enqueues their delivery after the commit: a rolled
back transaction tells nobody.

Delivery (`deliveries_send`, run by the `notifications.deliver` task) claims each row with a conditional UPDATE
(queued → sending, with a fresh claim token), so a task that runs twice sends once. The channel adapter answers
sent, retry (5xx, timeouts, refused connections) or failed (4xx: retrying cannot help). A retry puts the row back
to queued and sends the task again after an exponential backoff; after the last attempt it is failed. A crash
between the claim and the send leaves the row "sending": at most once, never twice, and visible in the log.

Templates: each kind names its e-mail subject and body (rendered in Indonesian, then English, as the e-mails were)
and one short line used in the inbox (in the reader's language), on WhatsApp and by SMS (Indonesian).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import links
from core.models import Delivery, Notification, NotificationPreference, User
from core.notifications.channels import Outcome, adapter_for
from core.tasks import task_named
from core.validators import parse_iso_date

EMAIL, WHATSAPP, SMS = Delivery.Channel.EMAIL, Delivery.Channel.WHATSAPP, Delivery.Channel.SMS
DELIVER_TASK = "notifications.deliver"


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its name, the channels it may use besides in-app, and its templates."""

    key: str
    label: Any
    channels: tuple[str, ...] = (EMAIL,)
    # Important kinds go by WhatsApp (and SMS when chosen) once the person verified a number.
    important: bool = False
    email_subject: str = ""
    email_body: str = ""
    # One line (in-app, WhatsApp's body parameter, SMS); defaults to notifications/<key>.txt
    line: str = ""
    # The approved WhatsApp Business template: one body parameter (the line) and one (the link).
    whatsapp_template: str = "halalmsi_notice"

    @property
    def line_template(self) -> str:
        return self.line or f"notifications/{self.key}.txt"


# Every notification kind of the platform, in one place.
KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "application_status",
            _("Application status changed"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/application_status_subject.txt",
            email_body="certification/email/state_changed.txt",
        ),
        Kind(
            "application_resubmitted",
            _("Application resubmitted"),
            email_subject="notifications/application_resubmitted_subject.txt",
            email_body="certification/email/resubmitted.txt",
        ),
        Kind(
            "application_appealed",
            _("Appeal against a rejection"),
            email_subject="notifications/application_appealed_subject.txt",
            email_body="certification/email/appeal_filed.txt",
        ),
        Kind(
            "case_window",
            _("Deadline of a returned or unpaid application"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/case_window_subject.txt",
            email_body="certification/email/owner_window.txt",
        ),
        Kind(
            "payment_proof",
            _("A payment proof to confirm"),
            email_subject="notifications/payment_proof_subject.txt",
            email_body="notifications/payment_proof_email.txt",
        ),
        Kind(
            "certificate_revoked",
            _("Certificate revoked"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/certificate_revoked_subject.txt",
            email_body="certification/email/revoked.txt",
        ),
        Kind(
            "followup_reminder",
            _("Training follow-up reminder"),
            email_subject="training/email/followup_reminder_subject.txt",
            email_body="training/email/followup_reminder.txt",
        ),
        Kind(
            "case_message",
            _("A message on an application"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/case_message_subject.txt",
            email_body="notifications/case_message_email.txt",
        ),
        Kind(
            "case_note",
            _("An internal note on a case (office only)"),
            email_subject="notifications/case_note_subject.txt",
            email_body="notifications/case_message_email.txt",
        ),
        Kind(
            "training_announcement",
            _("An announcement on a training"),
            channels=(EMAIL, WHATSAPP, SMS),
            email_subject="notifications/training_announcement_subject.txt",
            email_body="notifications/training_message_email.txt",
        ),
        Kind(
            "training_question",
            _("A participant's question on a training"),
            email_subject="notifications/training_question_subject.txt",
            email_body="notifications/training_message_email.txt",
        ),
        Kind(
            "training_place",
            _("A place in a training after the waiting list"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/training_place_subject.txt",
            email_body="notifications/training_place_email.txt",
        ),
        Kind(
            "composition_check",
            _("Yearly confirmation that nothing changed"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/composition_check_subject.txt",
            email_body="certification/email/composition_check.txt",
        ),
        Kind(
            "certificate_expiry",
            _("A dated certificate expires soon"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="notifications/certificate_expiry_subject.txt",
            email_body="certification/email/expiry.txt",
        ),
        Kind(
            "permit_expiry",
            _("A distribution permit expires soon"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="applicants/email/permit_expiry_subject.txt",
            email_body="applicants/email/permit_expiry.txt",
        ),
        Kind(
            "facilitation_due",
            _("A BPOM facilitation stage is past due"),
            email_subject="training/email/facilitation_due_subject.txt",
            email_body="training/email/facilitation_due.txt",
        ),
        Kind(
            "facilitation_status",
            _("Progress of a BPOM facilitation case"),
            channels=(EMAIL, WHATSAPP, SMS),
            important=True,
            email_subject="training/email/facilitation_status_subject.txt",
            email_body="training/email/facilitation_status.txt",
            line="training/email/facilitation_status_subject.txt",
        ),
        Kind(
            "report_ready",
            _("Monthly report ready"),
            email_subject="notifications/report_ready_subject.txt",
            email_body="notifications/report_ready_email.txt",
        ),
    )
}


def kind_named(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}: add it to core.notifications.services.KINDS") from None


# --- Context: plain JSON in, dates back as dates when rendering ---
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _revive(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _revive(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_revive(item) for item in value]
    if isinstance(value, str) and _DATE.match(value):
        return parse_iso_date(value) or value  # an owner's text "2026-02-30" stays text
    return value


def absolute_url(path: str) -> str:
    """The link as the recipient opens it (core.links, the one source of absolute URLs); no link stays empty."""
    return links.absolute_url(path) if path else path


def _template_context(notification: Notification, language: str) -> dict[str, Any]:
    return {**_revive(notification.context), "url": absolute_url(notification.link), "language": language}


# --- Rendering per channel ---
def render_line(notification: Notification, language: str | None = None) -> str:
    """The one-line text of a notification, in `language` (the active language when None)."""
    language = language or translation.get_language() or "id"
    with translation.override(language):
        text = render_to_string(kind_named(notification.kind).line_template, _template_context(notification, language))
    return " ".join(text.split())


def render_email(notification: Notification) -> tuple[str, str]:
    """Subject and body: Indonesian first, then English (many owners forward the e-mail to someone who reads it)."""
    kind = kind_named(notification.kind)
    subjects, bodies = [], []
    for language in ("id", "en"):
        context = _template_context(notification, language)
        with translation.override(language):
            subjects.append(" ".join(render_to_string(kind.email_subject, context).split()))
            bodies.append(render_to_string(kind.email_body, context).strip())
    body = "\n\n---\n\n".join(bodies)
    return " / ".join(subjects), body + "\n"


def render_short(notification: Notification) -> str:
    """WhatsApp's body parameter and the SMS: the line in Indonesian and the link."""
    return f"{render_line(notification, 'id')} {absolute_url(notification.link)}".strip()


# --- Choosing channels ---
def channel_configured(channel: str) -> bool:
    """A channel without its settings is off (the UI says so)."""
    if channel == EMAIL:
        return bool(settings.EMAIL_BACKEND)
    if channel == WHATSAPP:
        return bool(settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID)
    if channel == SMS:
        return bool(settings.SMS_GATEWAY_URL)
    return False


def default_enabled(kind: Kind, channel: str) -> bool:
    """Without a choice of the person: e-mail as before, WhatsApp for important kinds, SMS only when chosen."""
    return channel == EMAIL or (channel == WHATSAPP and kind.important)


Choices = dict[tuple[int, str, str], bool]


def _wanted(kind: Kind, user: User, channel: str, choices: Choices) -> bool:
    if channel not in kind.channels or not channel_configured(channel):
        return False
    return choices.get((user.pk, kind.key, channel), default_enabled(kind, channel))


def _addresses(kind: Kind, recipient: User, extra_emails: Iterable[str], choices: Choices) -> dict[str, str]:
    """The address per channel this notification goes to (in-app is the row itself)."""
    chosen: dict[str, str] = {}
    if _wanted(kind, recipient, EMAIL, choices):
        emails = [recipient.email, *(email for email in extra_emails if email != recipient.email)]
        chosen[EMAIL] = ", ".join(email for email in emails if email)
    elif extra_emails and EMAIL in kind.channels and channel_configured(EMAIL):
        chosen[EMAIL] = ", ".join(extra_emails)  # copies outside the platform have no preferences to ask
    verified = bool(recipient.whatsapp_verified_at and recipient.phone)
    for channel in (WHATSAPP, SMS):
        if verified and _wanted(kind, recipient, channel, choices):
            chosen[channel] = recipient.phone
    return {channel: address for channel, address in chosen.items() if address}


def _choices(user_ids: Iterable[int]) -> Choices:
    rows = NotificationPreference.objects.filter(user_id__in=set(user_ids)).values_list(
        "user_id", "kind", "channel", "enabled"
    )
    return {(user_id, kind, channel): enabled for user_id, kind, channel, enabled in rows}


@dataclass
class Message:
    """One notification to store: who, what kind, its context and link, and what it is about."""

    recipient: User
    kind: str
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    topic: str = ""
    extra_emails: tuple[str, ...] = ()
    # The region of what it is about (a case's, business's or programme's): scopes the staff's delivery log.
    region_id: int | None = None


def notifications_send(messages: list[Message]) -> list[Notification]:
    """Store the notifications and their deliveries in two inserts; deliver them after the commit (one task)."""
    now = timezone.now()
    notifications = [
        Notification(
            recipient=message.recipient,
            kind=kind_named(message.kind).key,
            context=_json(message.context),
            link=message.link,
            topic=message.topic,
            region=message.region_id,
            created_at=now,
        )
        for message in messages
    ]
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    _count_unread(Counter(message.recipient.pk for message in messages))
    choices = _choices(message.recipient.pk for message in messages)
    deliveries = [
        Delivery(notification=notification, channel=channel, address=address[:1000], created_at=now, updated_at=now)
        for message, notification in zip(messages, notifications, strict=True)
        for channel, address in _addresses(
            kind_named(message.kind), message.recipient, message.extra_emails, choices
        ).items()
    ]
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        ids = [delivery.pk for delivery in deliveries]
        task = task_named(DELIVER_TASK)
        transaction.on_commit(lambda: task.delay(ids))
    return notifications


def notification_send(
    *,
    recipient: User,
    kind: str,
    context: dict[str, Any],
    link: str = "",
    topic: str = "",
    region_id: int | None = None,
) -> Notification:
    message = Message(recipient=recipient, kind=kind, context=context, link=link, topic=topic, region_id=region_id)
    return notifications_send([message])[0]


# --- Delivering ---
def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` tries: base, 2×base, 4×base ... capped at an hour."""
    return int(min(settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600))


def deliveries_send(*, delivery_ids: list[int]) -> int:
    """Claim the queued deliveries among `delivery_ids`, send each by its channel, log the answer.

    Returns how many this run claimed. Runs outside a transaction on purpose: the claim commits before anything
    is sent, so a second copy of the task finds nothing to claim.
    """
    token = uuid.uuid4()
    claimed = Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, claim_token=token, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return 0
    rows = list(Delivery.objects.filter(claim_token=token).select_related("notification__recipient").order_by("id"))
    again: list[tuple[int, int]] = []
    for delivery in rows:
        outcome = _send_one(delivery)
        entry: dict[str, Any] = {
            "at": timezone.now().isoformat(),
            "attempt": delivery.attempts,
            "outcome": outcome.result,
            "code": outcome.code,
            "answer": outcome.answer[:1000],
        }
        delivery.provider_answer = outcome.answer[:4000]
        delivery.updated_at = timezone.now()
        if outcome.result == "sent":
            delivery.status = Delivery.Status.SENT
            delivery.provider_id = outcome.provider_id[:200]
        elif outcome.result == "retry" and delivery.attempts < settings.NOTIFY_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.QUEUED
            delivery.claim_token = None
            entry["retry_in"] = retry_delay(delivery.attempts)
            again.append((delivery.pk, entry["retry_in"]))
        else:
            delivery.status = Delivery.Status.FAILED
        delivery.log = [*delivery.log, entry]
    Delivery.objects.bulk_update(rows, ["status", "claim_token", "provider_id", "provider_answer", "updated_at", "log"])
    for delivery_id, delay in again:
        _retry_on_commit(delivery_id, delay)
    return claimed


def _retry_on_commit(delivery_id: int, delay: int) -> None:
    task = task_named(DELIVER_TASK)
    transaction.on_commit(lambda: task.apply_async(args=([delivery_id],), countdown=delay))


def _send_one(delivery: Delivery) -> Outcome:
    notification = delivery.notification
    kind = kind_named(notification.kind)
    adapter = adapter_for(delivery.channel)
    if delivery.channel == EMAIL:
        subject, body = render_email(notification)
        if "," not in delivery.address:  # a copy to others (escalations) must not carry the person's own link
            body += _unsubscribe_footer(notification)
        return adapter.send(address=delivery.address, subject=subject, body=body)
    text = render_short(notification)
    if delivery.channel == WHATSAPP:
        return adapter.send(
            address=delivery.address,
            template=kind.whatsapp_template,
            parameters=[render_line(notification, "id"), absolute_url(notification.link) or settings.SITE_URL],
            subject="",
            body=text,
        )
    return adapter.send(address=delivery.address, subject="", body=text)


UNSUBSCRIBE_SALT = "core.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """The person and kind of a signed unsubscribe link (no expiry: an old e-mail's link still works)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]


def _unsubscribe_footer(notification: Notification) -> str:
    token = unsubscribe_token(user_id=notification.recipient_id, kind=notification.kind)
    url = absolute_url(reverse("notifications-unsubscribe", args=[token]))
    with translation.override("id"):
        id_text = str(_("Stop these e-mails:"))
    with translation.override("en"):
        en_text = str(_("Stop these e-mails:"))
    return f"\n--\n{id_text} / {en_text} {url}\n"


# --- The inbox ---
def _count_unread(added: Counter[int]) -> None:
    """One UPDATE: each recipient's unread number goes up by their new notifications."""
    by_count: dict[int, list[int]] = {}
    for user_id, count in added.items():
        by_count.setdefault(count, []).append(user_id)
    increment = Case(
        *(When(pk__in=user_ids, then=Value(count)) for count, user_ids in by_count.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    User.objects.filter(pk__in=list(added)).update(unread_notifications=F("unread_notifications") + increment)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all when `ids` is None); someone else's are left alone."""
    with transaction.atomic():
        queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if ids is not None:
            queryset = queryset.filter(pk__in=list(ids))
        count = queryset.update(read_at=timezone.now())
        if ids is None:
            User.objects.filter(pk=user.pk).update(unread_notifications=0)
        elif count:
            User.objects.filter(pk=user.pk).update(unread_notifications=Greatest(F("unread_notifications") - count, 0))
    return count


# --- What the provider tells us later (WhatsApp's status webhook) ---
PROVIDER_STATUSES = {"delivered": Delivery.Status.DELIVERED, "read": Delivery.Status.DELIVERED}


def delivery_status_record(*, channel: str, provider_id: str, status: str, answer: str = "") -> int:
    """The provider says a message arrived (delivered, read) or did not (failed): update its delivery and log it.
    A late "sent" never undoes "delivered"; an unknown message id changes nothing; the same status of the same
    message again (a replay) changes nothing either."""
    if status == "failed":
        new_status = Delivery.Status.FAILED
    elif status in PROVIDER_STATUSES:
        new_status = PROVIDER_STATUSES[status]
    else:
        return 0
    with transaction.atomic():
        rows = list(Delivery.objects.select_for_update().filter(channel=channel, provider_id=provider_id)[:1])
        # A replayed webhook (Meta retries until it gets a 200) is logged once per message and status.
        rows = [d for d in rows if not any(e.get("from") == "webhook" and e.get("outcome") == status for e in d.log)]
        for delivery in rows:
            delivery.log = [
                *delivery.log,
                {"at": timezone.now().isoformat(), "outcome": status, "answer": answer[:1000], "from": "webhook"},
            ]
            delivery.status = new_status
            if answer:
                delivery.provider_answer = answer[:4000]
            delivery.updated_at = timezone.now()
            delivery.save(update_fields=["log", "status", "provider_answer", "updated_at"])
    return len(rows)
