"""Tasks only the job-survival tests send, loaded into their worker with `celery worker --include`."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.slow_idempotent_job", soft_time_limit=20, time_limit=30)
def slow_idempotent_job(folder: str, seconds: float) -> str:
    """Record each start (with the pid), work `seconds`, then record the finish once: a second run of a job that
    already finished does nothing (the project's rule for every task: idempotent)."""
    root = Path(folder)
    with (root / "started").open("a") as log:
        log.write(f"{os.getpid()}\n")
    if (root / "finished").exists():
        return "already done"
    time.sleep(seconds)
    with (root / "finished").open("a") as log:
        log.write(f"{os.getpid()}\n")
    return "done"
