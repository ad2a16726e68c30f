"""Reads after the certificate: the yearly composition checks and their status, scoped by user."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from certification.models import (
    Certificate,
    CompositionCheck,
)
from certification.selectors import certificates_for
from core.calendar import days as cal

CHECK_STATUSES = ("confirmed", "changed", "waiting", "overdue")


def composition_check_status(check: CompositionCheck, today: Any = None) -> str:
    if check.answered_at is not None:
        return "changed" if check.answer == CompositionCheck.Answer.CHANGED else "confirmed"
    today = today or cal.today()
    return "overdue" if (today - check.anniversary).days >= settings.COMPOSITION_CHECK_OVERDUE_DAYS else "waiting"


def composition_checks_for(
    user: Any, *, status: str = "", region_code: str = "", today: Any = None
) -> QuerySet[CompositionCheck]:
    """Staff: every check of the certificates they may see, filtered by status and regency code."""
    today = today or cal.today()
    queryset = CompositionCheck.objects.filter(certificate__in=certificates_for(user)).select_related(
        "certificate", "certificate__application__business__owner"
    )
    if region_code:  # a regency/city, or a whole province by its two digits
        queryset = queryset.filter(certificate__region_code__startswith=region_code)
    overdue_from = today - timedelta(days=settings.COMPOSITION_CHECK_OVERDUE_DAYS)
    if status == "confirmed":
        queryset = queryset.filter(answer=CompositionCheck.Answer.UNCHANGED)
    elif status == "changed":
        queryset = queryset.filter(answer=CompositionCheck.Answer.CHANGED)
    elif status == "overdue":
        queryset = queryset.filter(answered_at__isnull=True, anniversary__lte=overdue_from)
    elif status == "waiting":
        queryset = queryset.filter(answered_at__isnull=True, anniversary__gt=overdue_from)
    return queryset.order_by("anniversary", "id")


def open_composition_checks_of(owner: Any) -> QuerySet[CompositionCheck]:
    """The owner's unanswered checks of valid certificates (shown with one-tap answers)."""
    return (
        CompositionCheck.objects.filter(
            certificate__application__business__owner=owner,
            certificate__status=Certificate.Status.VALID,
            answered_at__isnull=True,
        )
        .select_related("certificate")
        .order_by("anniversary", "id")
    )
