"""The delivery task of the notification service (its own module: core.tasks stays a leaf the service imports).

Listed in CELERY_IMPORTS, so workers register it and `core.tasks.task_named` finds it.
"""

from __future__ import annotations

from celery import shared_task

from core import notifications


# Retries are the service's own (a new task per retried delivery, after its backoff), so none here.
@shared_task(name="notifications.deliver", soft_time_limit=120, time_limit=150)
def deliver(delivery_ids: list[int]) -> int:
    return notifications.deliveries_send(delivery_ids=delivery_ids)
