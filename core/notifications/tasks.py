"""The delivery task of the notification service (its own module: core.tasks stays a leaf the service imports).

Listed in CELERY_IMPORTS, so workers register it and `core.tasks.task_named` finds it.
"""

from __future__ import annotations

from celery import shared_task

from core.access.accounts import account_email_send
from core.notifications import services as notifications
from core.tasks import RETRY_OUTSIDE


# Retries are the service's own (a new task per retried delivery, after its backoff), so none here.
@shared_task(name="notifications.deliver", soft_time_limit=120, time_limit=150)
def deliver(delivery_ids: list[int]) -> int:
    return notifications.deliveries_send(delivery_ids=delivery_ids)


# allauth's e-mails (core/access/accounts.py): SMTP errors and timeouts are retried with backoff, then dead-lettered.
@shared_task(name="core.notify_account_email", **RETRY_OUTSIDE)
def notify_account_email(
    *, subject: str, body: str, from_email: str, to: list[str], alternatives: list[list[str]], subtype: str = "plain"
) -> int:
    return account_email_send(
        subject=subject, body=body, from_email=from_email, to=to, alternatives=alternatives, subtype=subtype
    )
