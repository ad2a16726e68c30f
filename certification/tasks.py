"""Thin Celery tasks: ids in, reload, send."""

from __future__ import annotations

from celery import shared_task

from certification import emails


@shared_task(name="certification.notify_owner_of_event")
def notify_owner_of_event(event_id: int) -> int:
    return emails.owner_event_email_send(event_id=event_id)


@shared_task(name="certification.notify_reviewers_of_resubmission")
def notify_reviewers_of_resubmission(event_id: int) -> int:
    return emails.reviewer_resubmission_email_send(event_id=event_id)
