"""Reads of the notification service: a person's inbox and unread count; the staff's delivery log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.models import Delivery, Notification, User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's own notifications, newest first (never anyone else's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_log(
    *, topic: str = "", recipient: User | None = None, failed_only: bool = False
) -> QuerySet[Notification]:
    """Who was told what about `topic` (or what `recipient` was told), with every channel's deliveries."""
    queryset = Notification.objects.select_related("recipient").prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("id"))
    )
    if topic:
        queryset = queryset.filter(topic=topic)
    if recipient is not None:
        queryset = queryset.filter(recipient=recipient)
    if failed_only:
        queryset = queryset.filter(deliveries__status=Delivery.Status.FAILED).distinct()
    return queryset.order_by("-created_at", "-id")


def failed_deliveries_count() -> int:
    return Delivery.objects.filter(status=Delivery.Status.FAILED).count()
