"""`make run`: the development server plus a Celery worker with beat, so scheduled jobs run in the demo too.

Without REDIS_URL the worker and the web server share an embedded broker (CELERY_EMBEDDED: kombu's filesystem
transport under var/celery/), with the same tasks, queues and beat schedule (django-celery-beat) as production.
Ctrl-C stops both. RUN_WORKER=0 serves the pages only (tasks then run eagerly in the web process, as before).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUEUES = "default,mail,pdf,reports,dashboard"


def worker_command(python: str = sys.executable) -> list[str]:
    return [python, "-m", "celery", "-A", "halalmsi", "worker", "-B", "-Q", QUEUES, "--concurrency=1",
            "--loglevel=INFO"]  # fmt: skip


def environment(port: str, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.setdefault("PORT", port)
    if env.get("RUN_WORKER", "1") != "0" and not env.get("REDIS_URL"):
        env["CELERY_EMBEDDED"] = "1"
    return env


def wait_for_port(port: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until the server accepts connections (or stops, or `timeout` passes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", int(port))) == 0:
                return
        time.sleep(0.3)


def main() -> int:
    port = os.environ.get("PORT", "8000")
    env = environment(port)
    worker = None
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env)  # noqa: S603
    try:
        if env.get("RUN_WORKER", "1") != "0":
            # The worker starts once the first page answers: both import the whole project, and on a small machine
            # starting them together delays the page a newcomer is waiting for (README, "Two commands").
            wait_for_port(port, server)
            print("Scheduled jobs: a Celery worker with beat is running (reminder e-mails print in this terminal).")
            worker = subprocess.Popen(worker_command(), cwd=ROOT, env=env)  # noqa: S603 - our own command line
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        return server.wait()
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


if __name__ == "__main__":
    sys.exit(main())
