"""Reads of the notification service: a person's inbox and unread count; the staff's delivery log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.access import jurisdiction
from core.models import Delivery, Notification, User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's own notifications, newest first (never anyone else's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_log(
    *, user: User, topic: str = "", person_email: str = "", failed_only: bool = False
) -> QuerySet[Notification]:
    """Who was told what about `topic` (or what the person at `person_email` was told), with every channel's
    deliveries: only notices about the regions `user` works for (the queue's jurisdiction rule). Looking a person
    up says nothing about whether they have an account: no notice in reach looks the same as nobody."""
    queryset = (
        Notification.objects.filter(jurisdiction.region_q(user))
        .select_related("recipient")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("id")))
    )
    if topic:
        queryset = queryset.filter(topic=topic)
    if person_email:
        queryset = queryset.filter(recipient__email__iexact=person_email)
    if failed_only:
        queryset = queryset.filter(deliveries__status=Delivery.Status.FAILED).distinct()
    return queryset.order_by("-created_at", "-id")


def failed_deliveries_count() -> int:
    return Delivery.objects.filter(status=Delivery.Status.FAILED).count()
