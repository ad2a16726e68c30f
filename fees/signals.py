"""Any saved or deleted schedule or tier (services, admin, shell) makes every process reload its snapshot."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fees.models import FeeSchedule, FeeTier
from fees.selectors import invalidate_schedule_cache


@receiver([post_save, post_delete], sender=FeeSchedule)
@receiver([post_save, post_delete], sender=FeeTier)
def schedules_changed(sender: type, **kwargs: Any) -> None:
    # Now for this process (whose own transaction sees the change), and again on commit for any other process
    # that reloaded meanwhile from the not-yet-committed state.
    invalidate_schedule_cache()
    transaction.on_commit(invalidate_schedule_cache)
