"""Celery plumbing every app shares: the health ping, enqueueing a task once the current transaction commits, the
retry policy of tasks that talk to the outside, and the dead-letter record of tasks that failed for good.

Direction: tasks call services; services never import tasks. A service names the task it wants (`app.task_name`,
as in `@shared_task(name=...)`) and `enqueue_on_commit` finds it in Celery's registry, so the import graph has no
cycle and a rolled-back transaction sends nothing.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import Any

from celery import current_app, shared_task
from celery.app.task import Task
from celery.signals import task_failure
from django.db import transaction

from core.models import FailedTask
from core.ops.checkpoints import chain_checkpoint_take
from core.ops.requestid import current_request_id

logger = logging.getLogger(__name__)


@shared_task(name="core.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker and a worker; used by the health tests."""
    return value


# The first checkpoint of a national database reads every chain once (tens of millions of rows); later ones only the
# day's new rows, in seconds.
@shared_task(name="core.chain_checkpoint", soft_time_limit=3000, time_limit=3600)
def chain_checkpoint() -> str:
    """Beat's daily record of every hash chain's head (once per day: a second run changes nothing)."""
    return chain_checkpoint_take().digest


@cache
def task_named(name: str) -> Task:
    """The registered task called `name` (every app's tasks module is imported on first use)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue_on_commit(name: str, *args: Any, **kwargs: Any) -> None:
    """Send the task `name` with these arguments after the current transaction commits (at once outside one)."""
    task = task_named(name)
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


# --- Tasks that talk to the outside (SMTP today; WhatsApp and SMS gateways later) ------------------------------------
class OutboundTask(Task):
    """Runs the task's body in one transaction, so a send that fails rolls back the claim made before it.

    E-mail tasks claim their row with a conditional UPDATE and then send (run twice, sent once). When the send
    raises, the claim must not stay behind, or the retry would find the row claimed and send nothing. Inside one
    transaction the claim also holds the row: a second copy of the task waits, then finds it claimed.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            return super().__call__(*args, **kwargs)


# Retries with exponential backoff (about 1 s, 2 s, 4 s ... capped at 10 min, with jitter), then the dead-letter list.
# OSError covers smtplib's errors, refused and reset connections and timeouts.
RETRY_OUTSIDE: dict[str, Any] = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}
# A task that claims its row and then sends (`@shared_task(name=..., **OUTBOUND)`).
OUTBOUND: dict[str, Any] = {**RETRY_OUTSIDE, "base": OutboundTask, "soft_time_limit": 60, "time_limit": 90}


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@task_failure.connect
def _record_failure(
    sender: Task | None = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    einfo: Any = None,
    **_: Any,
) -> None:
    """A task failed for good: keep it, with its error, in the dead-letter list (core.FailedTask)."""
    try:
        FailedTask.objects.create(
            task_id=str(task_id or "")[:64],
            task_name=str(getattr(sender, "name", "") or "")[:200],
            args=_json_safe(list(args or [])),
            kwargs=_json_safe(dict(kwargs or {})),
            exception=type(exception).__name__[:200] if exception is not None else "",
            message=str(exception or "")[:10_000],
            traceback=str(getattr(einfo, "traceback", "") or "")[:50_000],
            request_id=current_request_id()[:128],
            retries=int(getattr(getattr(sender, "request", None), "retries", 0) or 0),
        )
    except Exception:  # noqa: BLE001 - recording must never hide the task's own error (the database may be the cause)
        logger.exception("Could not record the failure of task %s %s", getattr(sender, "name", "?"), task_id)
