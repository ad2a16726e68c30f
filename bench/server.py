"""gunicorn with fixed settings on 127.0.0.1, for the HTTP rows of the suite."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Two sync workers, one per core: the wrk rows then measure service time (one connection per worker). Production
# runs three per web container (Dockerfile, docker-compose.yml); BENCH_WORKERS=3 runs the suite that way (RESULTS.md
# reports the mixed load at both).
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


def server_env(database_url: str, redis_url: str) -> dict[str, str]:
    """Production-like settings (DEBUG off, Redis cache), throttles raised so wrk is never rate-limited."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "False",
        "SECRET_KEY": "bench-secret-key-only-for-127.0.0.1-benchmarks",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "False",
        "THROTTLE_FEE_QUOTE": "100000000/min",
        "THROTTLE_PUBLIC_VERIFY": "100000000/min",
        "CERTIFICATE_VERIFY_RATE": "100000000/m",
        "LOG_LEVEL": "WARNING",
    }


class Server:
    def __init__(self, *, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "halalmsi.wsgi",
                    f"--workers={WORKERS}",
                    "--worker-class=sync",
                    "--timeout=120",  # as docker-compose.yml: a 5M-row CSV export streams for ~40 s
                    f"--bind=127.0.0.1:{self.port}",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # One Celery worker process for the dashboard queue (its figures are computed again there after a change),
        # as production runs one; the other queues keep no worker here, so no other task competes for the cores.
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "halalmsi", "purge", "-f", "-Q", "dashboard"],
            cwd=ROOT, env=self.env, capture_output=True, check=False, timeout=60,
        )  # fmt: skip
        with self.log.with_suffix(".worker.log").open("wb") as log:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "halalmsi", "worker", "-Q", "dashboard", "--concurrency=1",
                 "--loglevel=WARNING"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/bench/json/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.worker is not None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
