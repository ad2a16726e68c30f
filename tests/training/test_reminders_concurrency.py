"""Exactly once under real concurrency (PostgreSQL) and through a real Celery worker (Redis)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django_celery_beat.models import PeriodicTask

from core.models import Notification
from halalmsi.celery import app as celery_app
from tests.training.factories import program_with
from training import reminders
from training.models import ReminderLog
from training.tasks import send_followup_reminders

REPO = Path(__file__).resolve().parents[2]
DUE = date(2026, 2, 6)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_running_at_the_same_time_send_each_reminder_once(
    oscar: Any, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    programs = [program_with(oscar, attended=2) for _ in range(5)]
    workers = 2
    # Both runs read the same candidates before either claims: the race the unique claim must win.
    barrier = threading.Barrier(workers, timeout=30)
    original = reminders.programs_to_remind

    def candidates_then_wait(*, today: date) -> list[Any]:
        found = original(today=today)
        barrier.wait()
        return found

    monkeypatch.setattr(reminders, "programs_to_remind", candidates_then_wait)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(reminders.followup_reminders_send(today=DUE))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(results) == [0, len(programs)]  # one run claimed everything, the other nothing
    assert ReminderLog.objects.count() == len(programs)
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mailoutbox) == len(programs)


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings.DATABASES['default']['NAME']}"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_beat_schedule_exists_and_a_real_worker_runs_the_reminder_task(oscar: Any, tmp_path: Path) -> None:
    # Transactional tests flush every table, the migration's rows included: replay the schedule migration.
    call_command("migrate", "training", "0001", verbosity=0)
    assert not PeriodicTask.objects.filter(task="training.send_followup_reminders").exists()
    call_command("migrate", "training", verbosity=0)
    beat = PeriodicTask.objects.select_related("crontab").get(task="training.send_followup_reminders")
    assert beat.enabled
    assert (beat.crontab.minute, beat.crontab.hour) == ("0", "7")
    assert (beat.crontab.day_of_week, beat.crontab.day_of_month, beat.crontab.month_of_year) == ("*", "*", "*")
    assert str(beat.crontab.timezone) == "Asia/Jakarta"
    assert beat.task in celery_app.tasks

    today = reminders.scan_today()
    program = program_with(oscar, attended=2, end=today - timedelta(days=31))  # due yesterday: step 1

    queue = f"training-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": os.environ["REDIS_URL"]}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "halalmsi",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        result = send_followup_reminders.apply_async(queue=queue)
        assert result.get(timeout=90) == 1
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()

    claimed = ReminderLog.objects.get(program=program)
    assert claimed.step == 1
    assert claimed.sent_at is not None
    assert claimed.recipients == "oscar@example.test"
    # The worker handed the reminder to the notification service; its delivery goes by the mail queue.
    notification = Notification.objects.get(kind="followup_reminder", topic=f"program:{program.pk}")
    assert list(notification.deliveries.values_list("channel", "address")) == [("email", "oscar@example.test")]
