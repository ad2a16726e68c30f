"""Reads of facilitation cases, scoped by user; outcome counts for the dashboard."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from applicants.selectors import jurisdiction_q
from core.access import roles
from training.models.facilitation import FacilitationCase, FacilitationState

STAFF = (roles.OFFICER, roles.ADMIN, roles.REVIEWER)


def facilitations_for(user: Any) -> QuerySet[FacilitationCase]:
    """Staff see the cases of their jurisdiction; an owner the cases of their businesses; anyone else none."""
    if not getattr(user, "is_authenticated", False):
        return FacilitationCase.objects.none()
    queryset = FacilitationCase.objects.select_related("business", "product", "program", "officer")
    if roles.has_role(user, *STAFF):
        return queryset.filter(jurisdiction_q(user, "business__"))  # the staff member's jurisdiction
    return queryset.filter(business__owner=user)


def facilitation_outcomes(*, start: date | None = None, end: date | None = None, region: Any = None) -> dict[str, int]:
    """Cases by state (one query); closed outcomes counted by the day they closed, open ones as they stand."""
    queryset = FacilitationCase.objects.all()
    if region is not None:
        prefix = region.code
        queryset = queryset.filter(business__region__code__startswith=prefix)
    closed = Q(closed_on__isnull=False)
    if start is not None:
        closed &= Q(closed_on__gte=start)
    if end is not None:
        closed &= Q(closed_on__lte=end)
    counts = queryset.aggregate(
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        registered=Count("pk", filter=closed & Q(state=FacilitationState.REGISTERED)),
        not_registered=Count("pk", filter=closed & Q(state=FacilitationState.NOT_REGISTERED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}
