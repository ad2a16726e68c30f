"""Celery beat's scheduler: django-celery-beat's database schedule, plus a heartbeat file for the healthcheck.

Beat has no port to probe. On every tick (at most every few seconds) it touches settings.BEAT_HEARTBEAT_FILE; the
compose healthcheck calls beat unhealthy when the file is older than a minute (a beat stuck on its database, or gone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler


def heartbeat(path: str) -> None:
    if path:
        Path(path).touch()


class HeartbeatScheduler(DatabaseScheduler):
    def tick(self, *args: Any, **kwargs: Any) -> float:
        heartbeat(settings.BEAT_HEARTBEAT_FILE)
        return float(super().tick(*args, **kwargs))
