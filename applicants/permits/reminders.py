"""Distribution permit expiry reminders: 90, 30 and 7 days before expiry, each exactly once.

- Only the nearest step that is due is sent: a permit first seen 20 days before expiry gets the 30-day reminder,
  never the 90-day one afterwards; after the 7-day reminder nothing more.
- Exactly once: each (permit, expiry date, step) is claimed by inserting a PermitReminder row under a unique
  constraint with ON CONFLICT DO NOTHING; the run reads back the rows carrying its own claim token, so two runs at
  the same time (or a retried task) never both send. A renewed permit (a new expiry date) starts afresh.
- The reminder goes through the notification service (in-app, e-mail, WhatsApp per the owner's settings) in the
  claim's transaction and is delivered after it commits.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from applicants.models.permits import REMINDER_DAYS, DistributionPermit, PermitReminder
from core.notifications.services import notification_send


def step_due(*, expires_on: date, today: date) -> int | None:
    """The reminder step (days before expiry) due on `today`: the nearest threshold reached; None when none."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def permit_reminder_send(*, permit: DistributionPermit, days_before: int) -> int:
    """Tell the product's owner (only them) through the notification service. Returns the notices stored."""
    product = permit.product
    business = product.business
    notification_send(
        recipient=business.owner,
        kind="permit_expiry",
        context={
            "permit": {
                "kind": str(permit.get_kind_display()),
                "number": permit.number,
                "expires_on": permit.expires_on,
            },
            "product": {"name": product.name},
            "business": {"name": business.name},
            "days": days_before,
        },
        link=reverse("applicants:permit_edit", args=[product.business_id, product.pk, permit.pk]),
        topic=f"business:{business.pk}",
        region_id=business.region_id,
    )
    return 1


def permit_reminders_send(*, today: date | None = None) -> int:
    """Claim and send every reminder due on `today`; returns how many were sent. Safe to run twice."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    candidates = list(
        DistributionPermit.objects.exclude(kind=DistributionPermit.Kind.NONE)
        .filter(expires_on__gte=today, expires_on__lte=horizon)
        .values_list("pk", "expires_on")
    )
    claim = uuid.uuid4()
    rows = []
    for pk, expires_on in candidates:
        step = step_due(expires_on=expires_on, today=today)
        if step is not None:
            rows.append(PermitReminder(permit_id=pk, expires_on=expires_on, days_before=step, claim=claim))
    if not rows:
        return 0
    nearer_sent = PermitReminder.objects.filter(
        permit=OuterRef("permit"), expires_on=OuterRef("expires_on"), days_before__lt=OuterRef("days_before")
    )
    with transaction.atomic():
        PermitReminder.objects.bulk_create(rows, ignore_conflicts=True)
        # A nearer step already sent makes a farther one moot (the scan skipped days): drop those claims.
        PermitReminder.objects.filter(claim=claim).filter(Exists(nearer_sent)).delete()
        claimed = list(PermitReminder.objects.filter(claim=claim).select_related("permit__product__business__owner"))
        return sum(permit_reminder_send(permit=r.permit, days_before=r.days_before) for r in claimed)
