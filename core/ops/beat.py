"""Celery beat's scheduler: django-celery-beat's database schedule, exactly one beat at a time, and a heartbeat file.

Exactly one: every beat takes the PostgreSQL advisory lock `celery-beat` (core/ops/locks.py) before it dispatches
anything. A second beat (a scaled service, a host started twice, a deploy overlapping the old one) finds the lock
taken, dispatches nothing and asks again every STANDBY_SECONDS; when the first one dies its connection closes, the
lock is free, and the standby reads the schedule afresh from the database and carries on. Two beats used to dispatch
every schedule twice.

Heartbeat: beat has no port to probe. On every tick (at most every few seconds), leading or standing by, it touches
settings.BEAT_HEARTBEAT_FILE; the compose healthcheck calls beat unhealthy when the file is older than a minute (a
beat stuck on its database, or gone).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

from core.ops.locks import AdvisoryLock

logger = logging.getLogger(__name__)
LOCK_NAME = "celery-beat"
STANDBY_SECONDS = 5.0


def heartbeat(path: str) -> None:
    if path:
        Path(path).touch()


class HeartbeatScheduler(DatabaseScheduler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.leader_lock = AdvisoryLock(LOCK_NAME)
        self._told_standby = False
        super().__init__(*args, **kwargs)

    def leading(self) -> bool:
        """Whether this beat holds the lock (taking it if it is free)."""
        lock = self.leader_lock
        if lock.held:
            if lock.still_held():
                return True
            logger.warning("beat lost its database lock (connection gone); standing by")
            return False
        try:
            acquired = lock.acquire(wait=False)
        except Exception:  # noqa: BLE001 - the database is away: dispatch nothing, ask again next tick
            logger.exception("beat could not reach the database for its lock; standing by")
            lock.close()
            return False
        if acquired:
            logger.info("beat holds the lock %r: dispatching the schedule", LOCK_NAME)
            self._told_standby = False
            # The schedule as the previous leader left it: read it again from the database, rebuild the heap.
            self._initial_read = True
            self._heap = None
            return True
        if not self._told_standby:
            logger.info("another beat holds the lock %r: standing by", LOCK_NAME)
            self._told_standby = True
        return False

    def tick(self, *args: Any, **kwargs: Any) -> float:
        heartbeat(settings.BEAT_HEARTBEAT_FILE)
        if not self.leading():
            return STANDBY_SECONDS
        return float(super().tick(*args, **kwargs))

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leader_lock.release()
