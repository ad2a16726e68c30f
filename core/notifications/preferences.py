"""Writes of a person's notification settings: which kinds on which channels, a verified WhatsApp number
(a one-time code, rate limited), and unsubscribing from an e-mail's link."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import phones
from core.errors import DomainError
from core.models import Delivery, NotificationPreference, PhoneVerification, User
from core.notifications.channels import adapter_for
from core.notifications.services import KINDS, channel_configured, default_enabled

CHANNELS = (Delivery.Channel.EMAIL, Delivery.Channel.WHATSAPP, Delivery.Channel.SMS)
CODES_PER_HOUR = 3
TRIES_PER_CODE = 5
CODE_LIFETIME = timedelta(minutes=10)


@dataclass(frozen=True)
class Choice:
    kind: str
    label: str
    channel: str
    possible: bool
    enabled: bool


def preferences_of(user: User) -> list[Choice]:
    """Every kind x channel with the person's choice (or the default); impossible pairs are marked."""
    saved = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "enabled"
        )
    }
    return [
        Choice(
            kind=key,
            label=str(kind.label),
            channel=channel,
            possible=channel in kind.channels,
            enabled=saved.get((key, channel), default_enabled(kind, channel)),
        )
        for key, kind in KINDS.items()
        for channel in CHANNELS
    ]


def preferences_save(*, user: User, enabled: set[tuple[str, str]]) -> int:
    """Store the person's choices: every possible kind x channel is on when in `enabled`, off otherwise."""
    rows = [
        NotificationPreference(user=user, kind=key, channel=channel, enabled=(key, channel) in enabled)
        for key, kind in KINDS.items()
        for channel in CHANNELS
        if channel in kind.channels
    ]
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "kind", "channel"],
            update_fields=["enabled"],
        )
    return len(rows)


def email_unsubscribe(*, user_id: int, kind: str) -> bool:
    """The e-mail link's effect: this kind no longer by e-mail for this person (in-app stays)."""
    if not User.objects.filter(pk=user_id).exists():
        return False
    NotificationPreference.objects.update_or_create(
        user_id=user_id, kind=kind, channel=Delivery.Channel.EMAIL, defaults={"enabled": False}
    )
    return True


def _hash(code: str, verification_user: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{verification_user}:{code}".encode(), hashlib.sha256).hexdigest()


def whatsapp_code_send(*, user: User, phone: str) -> PhoneVerification:
    """Send a six-digit code by WhatsApp to `phone` (at most three codes an hour per person)."""
    number = phones.whatsapp_digits(phone)
    if not number:
        raise DomainError(_("Enter an Indonesian mobile number, for example 0812 3456 7890."))
    if not channel_configured(Delivery.Channel.WHATSAPP):
        raise DomainError(_("WhatsApp is not set up on this platform yet."))
    since = timezone.now() - timedelta(hours=1)
    if PhoneVerification.objects.filter(user=user, created_at__gte=since).count() >= CODES_PER_HOUR:
        raise DomainError(_("Too many codes were sent. Try again in an hour."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    verification = PhoneVerification.objects.create(user=user, phone=f"+{number}", code_hash=_hash(code, user.pk))
    outcome = adapter_for(Delivery.Channel.WHATSAPP).send(
        address=number, subject="", body=code, template="halalmsi_code", parameters=[code]
    )
    if outcome.result != "sent":
        raise DomainError(_("The code could not be sent by WhatsApp. Check the number or try again later."))
    return verification


def whatsapp_code_confirm(*, user: User, code: str) -> User:
    """Check the latest code; when it matches, the number is the person's verified WhatsApp number."""
    verification = (
        PhoneVerification.objects.filter(
            user=user, used_at__isnull=True, created_at__gte=timezone.now() - CODE_LIFETIME
        )
        .order_by("-created_at")
        .first()
    )
    # Take one try before comparing, in one conditional UPDATE: concurrent guesses cannot all pass a separate
    # "attempts < limit" read (they did), so at most TRIES_PER_CODE guesses are ever compared.
    if verification is None or not PhoneVerification.objects.filter(
        pk=verification.pk, used_at__isnull=True, attempts__lt=TRIES_PER_CODE
    ).update(attempts=F("attempts") + 1):
        raise DomainError(_("There is no valid code. Ask for a new one."))
    if not hmac.compare_digest(verification.code_hash, _hash(code.strip(), user.pk)):
        raise DomainError(_("The code is not right."))
    with transaction.atomic():
        if not PhoneVerification.objects.filter(pk=verification.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        ):
            raise DomainError(_("There is no valid code. Ask for a new one."))
        user.phone = verification.phone
        user.whatsapp_verified_at = timezone.now()
        user.save(update_fields=["phone", "whatsapp_verified_at"])
    return user
