"""Thin Celery tasks: one service call each."""

from __future__ import annotations

from celery import shared_task

from applicants.permit_reminders import permit_reminders_send
from core.tasks import RETRY_OUTSIDE


@shared_task(name="applicants.send_permit_reminders", soft_time_limit=300, time_limit=360, **RETRY_OUTSIDE)
def send_permit_reminders() -> int:
    """Daily at 07:15 Asia/Jakarta (beat schedule created by migration); safe to run twice or retry."""
    return permit_reminders_send()
