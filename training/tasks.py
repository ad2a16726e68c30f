"""Thin Celery tasks: one service call each."""

from __future__ import annotations

from celery import shared_task

from core.tasks import RETRY_OUTSIDE
from training.facilitation.reminders import facilitation_reminders_send
from training.reminders import followup_reminders_send, scan_today


@shared_task(name="training.send_followup_reminders", soft_time_limit=300, time_limit=360, **RETRY_OUTSIDE)
def send_followup_reminders() -> int:
    """Daily at 07:00 Asia/Jakarta (beat schedule created by migration); safe to run twice or retry."""
    return followup_reminders_send(today=scan_today())


@shared_task(name="training.send_facilitation_reminders", soft_time_limit=300, time_limit=360, **RETRY_OUTSIDE)
def send_facilitation_reminders() -> int:
    """Daily at 07:30 Asia/Jakarta (beat schedule created by migration); safe to run twice or retry."""
    return facilitation_reminders_send()
