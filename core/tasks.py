"""Celery plumbing every app shares: the health ping, and enqueueing a task once the current transaction commits.

Direction: tasks call services; services never import tasks. A service names the task it wants (`app.task_name`,
as in `@shared_task(name=...)`) and `enqueue_on_commit` finds it in Celery's registry, so the import graph has no
cycle and a rolled-back transaction sends nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from celery import current_app, shared_task
from celery.app.task import Task
from django.db import transaction


@shared_task(name="core.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker and a worker; used by the health tests."""
    return value


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
