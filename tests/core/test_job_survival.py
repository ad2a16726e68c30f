"""Jobs survive a worker's death and never run twice (halalmsi/settings.py, docker-compose.yml's grace periods).

A worker killed outright (SIGKILL to its whole process group, as `docker kill` or a lost host does) leaves its task
unacknowledged in Redis (acks_late); another worker gets it once the broker's visibility timeout has passed, and the
job finishes exactly once. The timeout is shortened for the test only (CELERY_BROKER_VISIBILITY_TIMEOUT); in
production it is longer than every task's hard time limit, which a test below checks over all registered tasks.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from halalmsi.celery import app as celery_app
from tests.core.worker_tasks import slow_idempotent_job

ROOT = Path(__file__).resolve().parents[2]


def longest_task_time_limit() -> int:
    celery_app.loader.import_default_modules()
    limits = [celery_app.conf.task_time_limit or 0]
    limits += [task.time_limit or 0 for name, task in celery_app.tasks.items() if not name.startswith("celery.")]
    return max(limits)


def test_messages_are_acknowledged_after_the_task_and_given_back_when_the_worker_dies() -> None:
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_the_visibility_timeout_outlasts_every_registered_task(settings: Any) -> None:
    """Shorter than a task's run, Redis would hand the still-running task to a second worker: it would run twice."""
    longest = longest_task_time_limit()
    assert longest >= 3660  # the export job
    assert longest < settings.BROKER_VISIBILITY_TIMEOUT
    if settings.REDIS_URL:
        assert celery_app.conf.broker_transport_options["visibility_timeout"] == settings.BROKER_VISIBILITY_TIMEOUT


def seconds(value: str) -> int:
    total = 0
    for amount, unit in re.findall(r"(\d+)([hms])", value):
        total += int(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def test_compose_waits_for_running_tasks_and_requests_before_killing() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker_grace = seconds(services["worker"]["stop_grace_period"])
    assert worker_grace > longest_task_time_limit()
    assert worker_grace < settings.BROKER_VISIBILITY_TIMEOUT
    web_command = " ".join(services["web"]["command"])
    graceful = int(re.search(r"--graceful-timeout=(\d+)", web_command).group(1))  # type: ignore[union-attr]
    assert seconds(services["web"]["stop_grace_period"]) > graceful
    assert seconds(services["beat"]["stop_grace_period"]) >= 10


def start_worker(queue: str, visibility_timeout: int, log: Path) -> subprocess.Popen[bytes]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_VISIBILITY_TIMEOUT": str(visibility_timeout),
        "WORKER_METRICS_PORT": "",
    }
    command = [sys.executable, "-m", "celery", "-A", "halalmsi", "worker", "--concurrency=1", "-Q", queue,
               "--include=tests.core.worker_tasks", "--without-gossip", "--without-mingle", "-l", "INFO",
               f"--hostname={uuid.uuid4().hex[:8]}@%h"]  # fmt: skip
    with log.open("ab") as out:
        # Its own process group: SIGKILL to the group kills the pool's children too, as a container kill does.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


@pytest.mark.redis
def test_a_job_whose_worker_is_killed_mid_task_finishes_exactly_once_on_another(tmp_path: Path) -> None:
    queue = f"survival-{uuid.uuid4().hex[:10]}"
    visibility = 8  # seconds, the test's only; longer than the job (3 s), as in production
    first = start_worker(queue, visibility, tmp_path / "worker1.log")
    second = None
    try:
        result = slow_idempotent_job.apply_async(args=[str(tmp_path), 3.0], queue=queue)
        wait_for(lambda: len(lines(tmp_path / "started")) == 1, 90, "the first worker to start the job")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        assert lines(tmp_path / "finished") == []  # killed mid-task

        second = start_worker(queue, visibility, tmp_path / "worker2.log")
        assert result.get(timeout=120) == "done"
        time.sleep(visibility + 2)  # nothing is delivered again once it was acknowledged
        started, finished = lines(tmp_path / "started"), lines(tmp_path / "finished")
        assert len(started) == 2 and len(finished) == 1
        assert finished[0] == started[1] != started[0]  # the second worker's process finished it
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
