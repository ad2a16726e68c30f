"""`make run` also runs the scheduled jobs (issue 19, item 18): a real worker with beat on an embedded broker (kombu's
filesystem transport), consuming what the web process sends, with the database beat schedule."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from scripts import run_all

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_starts_the_runner_with_the_port() -> None:
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "scripts/run_all.py" in run_target
    assert "PORT=$(PORT)" in run_target


def test_the_runner_embeds_the_broker_only_without_redis() -> None:
    assert run_all.environment("8811", {})["CELERY_EMBEDDED"] == "1"
    assert run_all.environment("8811", {})["PORT"] == "8811"
    assert "CELERY_EMBEDDED" not in run_all.environment("8811", {"REDIS_URL": "redis://x"})
    assert "CELERY_EMBEDDED" not in run_all.environment("8811", {"RUN_WORKER": "0"})
    command = run_all.worker_command("python")
    assert command[command.index("worker") + 1] == "-B"  # beat in the same process
    assert set(command[command.index("-Q") + 1].split(",")) == set(settings.TASK_QUEUE_NAMES)


@pytest.mark.django_db(transaction=True)
def test_a_task_sent_by_the_web_side_runs_on_the_embedded_worker_and_beat_ticks(tmp_path: Path, settings: Any) -> None:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("the worker shares the PostgreSQL test database")
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    heartbeat = tmp_path / "beat-heartbeat"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")},
        "DATABASE_URL": database_url,
        "CELERY_EMBEDDED": "1",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        "BEAT_HEARTBEAT_FILE": str(heartbeat),
        "DJANGO_SETTINGS_MODULE": "halalmsi.settings",
    }
    command = [*run_all.worker_command(), "--pool=solo", f"--schedule={tmp_path / 'beat-schedule'}"]
    command[command.index("--loglevel=INFO")] = "--loglevel=WARNING"
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    try:
        sent = subprocess.run(  # noqa: S603 - the web side's own configuration sends the task
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "assert settings.CELERY_BROKER_URL == 'filesystem://' and not settings.CELERY_TASK_ALWAYS_EAGER; "
                "from core.tasks import ping; print(ping.delay('embedded').get(timeout=90))",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
        )
        assert sent.returncode == 0, sent.stderr[-2000:]
        assert sent.stdout.strip().splitlines()[-1] == "embedded"
        deadline = time.monotonic() + 60
        while not heartbeat.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert heartbeat.exists(), "beat (the database schedule) is not ticking"
        # The broker's exchange tables live with its queues under CELERY_DATA_DIR, not in a `control/` of the tree.
        assert sorted(p.name for p in (tmp_path / "celery" / "control").glob("*.exchange"))
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
