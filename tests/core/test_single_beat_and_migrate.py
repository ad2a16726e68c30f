"""Exactly one beat dispatches, and `migrate` runs one at a time (PostgreSQL advisory locks, core/ops/locks.py).

Real processes: two `celery beat` on the test database with a schedule every second to a private queue that no worker
consumes, so the queue's length in Redis counts the dispatches; then the leader is killed and the standby takes over.
Two `manage.py migrate` on one empty database: both succeed, the second after waiting for the first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core.ops.locks import AdvisoryLock, lock_key

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def database_url(name: str | None = None) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"


def spawn(command: list[str], log: Path, **env: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own command line
            command,
            cwd=ROOT,
            env={**os.environ, "WORKER_METRICS_PORT": "", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def test_lock_keys_are_stable_and_distinct() -> None:
    assert lock_key("celery-beat") == lock_key("celery-beat") != lock_key("migrate")
    assert -(2**63) <= lock_key("migrate") < 2**63


def test_a_second_holder_is_refused_until_the_first_lets_go(transactional_db: None) -> None:
    first, second = AdvisoryLock(f"test-{uuid.uuid4().hex}"), None
    try:
        assert first.acquire(wait=False) and first.still_held()
        second = AdvisoryLock(first.name)
        assert second.acquire(wait=False) is False
        assert len(first.holder_pids()) == 1
        first.release()
        assert second.acquire(wait=False) is True
    finally:
        first.release()
        if second is not None:
            second.release()


@pytest.fixture
def every_second_schedule(transactional_db: None) -> Iterator[str]:
    queue = f"beat-test-{uuid.uuid4().hex[:10]}"
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update(enabled=False)  # only the test's entry is due
    PeriodicTask.objects.create(name=queue, task="core.ping", interval=every, queue=queue, args='["beat"]')
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield queue
    client.delete(queue)


def dispatched(queue: str) -> int:
    return int(redis.Redis.from_url(settings.REDIS_URL).llen(queue))


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.redis
def test_two_beats_dispatch_each_schedule_once_and_the_standby_takes_over(
    every_second_schedule: str, tmp_path: Path
) -> None:
    queue = every_second_schedule
    command = [sys.executable, "-m", "celery", "-A", "halalmsi", "beat", "-l", "INFO"]
    env = {"DATABASE_URL": database_url(), "BEAT_HEARTBEAT_FILE": ""}
    logs = [tmp_path / "beat1.log", tmp_path / "beat2.log"]
    beats = [spawn(command, logs[0], **env)]
    try:
        wait_for(lambda: dispatched(queue) >= 1, 90, "the first beat's first dispatch")
        beats.append(spawn(command, logs[1], **env))
        wait_for(lambda: "standing by" in logs[1].read_text(), 90, "the second beat to stand by")
        start, began = dispatched(queue), time.monotonic()
        time.sleep(8)
        count, elapsed = dispatched(queue) - start, time.monotonic() - began
        assert count <= elapsed + 2, (count, elapsed)  # once a second, not twice
        assert count >= elapsed / 2 - 1, (count, elapsed)  # and the leader still dispatches

        stop(beats[0], signal.SIGKILL)  # the leader dies: its connection, and so its lock, goes with it
        wait_for(lambda: "holds the lock" in logs[1].read_text(), 60, "the standby to take the lock")
        start = dispatched(queue)
        wait_for(lambda: dispatched(queue) >= start + 3, 30, "the new leader's dispatches")
    finally:
        for beat in beats:
            stop(beat)
    assert "holds the lock" in logs[0].read_text()


@pytest.fixture
def empty_database(transactional_db: None) -> Iterator[str]:
    name = f"{settings.DATABASES['default']['NAME']}_migrate_{uuid.uuid4().hex[:6]}"
    admin = psycopg2.connect(database_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_two_migrates_at_once_both_succeed_the_second_after_the_first(empty_database: str, tmp_path: Path) -> None:
    command = [sys.executable, "manage.py", "migrate", "--no-input"]
    env = {"DATABASE_URL": database_url(empty_database)}
    first = spawn(command, tmp_path / "migrate1.log", **env)
    time.sleep(1.0)
    second = spawn(command, tmp_path / "migrate2.log", **env)
    assert first.wait(600) == 0, (tmp_path / "migrate1.log").read_text()[-3000:]
    assert second.wait(600) == 0, (tmp_path / "migrate2.log").read_text()[-3000:]
    first_log, second_log = ((tmp_path / f"migrate{n}.log").read_text() for n in (1, 2))
    assert "Applying core.0001" in first_log
    assert "Waiting for another migrate" in second_log and "No migrations to apply" in second_log
