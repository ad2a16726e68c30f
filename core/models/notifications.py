"""Notifications: the inbox, each delivery on a channel, a person's channel settings, WhatsApp number verification."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.access import User


class Notification(models.Model):
    """Something a person was told, by kind (core/notifications/services.py lists them all) and its context.

    The row is the in-app message (the inbox); each further channel (e-mail, WhatsApp, SMS) has a Delivery. The
    context is plain JSON (dates as ISO strings), so the message renders again in the reader's language.
    """

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    context = models.JSONField(_("context"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # What it is about, for the staff's delivery log per case: "application:12", "program:3", "certificate:9".
    topic = models.CharField(_("about"), max_length=60, blank=True, db_index=True)
    # The region of what it is about (the case's, business's or programme's): the delivery log shows staff only the
    # notices of their jurisdiction (core.access.jurisdiction). An id of applicants.Region, kept without a foreign
    # key because core imports no app; empty for notices about no region (national staff only).
    region = models.IntegerField(_("region"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.Model):
    """One notification sent by one outside channel, with its log (every attempt and the provider's answer).

    Claimed by a conditional UPDATE (queued → sending) before it is sent, so a task that runs twice sends once.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # E-mail: one or more addresses, comma separated (escalations copy leads outside the platform); else a number.
    address = models.CharField(_("address"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, db_index=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    provider_answer = models.TextField(_("provider's answer"), blank=True)
    log = models.JSONField(_("log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "updated_at"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.address}: {self.status}"


class NotificationPreference(models.Model):
    """A person's choice for one kind on one channel; without a row the kind's default applies
    (in-app always; e-mail on; WhatsApp on for important kinds once the number is verified; SMS off)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Delivery.Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notificationpreference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}: {self.enabled}"


class PhoneVerification(models.Model):
    """A one-time code sent by WhatsApp to prove a number (stored hashed; a few tries; a few codes an hour)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_verifications")
    phone = models.CharField(_("phone / WhatsApp"), max_length=20)
    code_hash = models.CharField(_("code"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")

    def __str__(self) -> str:
        return f"{self.user_id} {self.phone}"
