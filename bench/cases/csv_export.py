"""CSV export of 1,000,000 applications: streamed, >= 50,000 rows/s, server memory growth <= 50 MB.

HTTP: GET /staff/exports/applications.csv?state=all (every application, the queue's "every state" filter) from the
benchmark's gunicorn, as a national administrator (session cookie), read to the end by this process. Rows/s: data
lines received / wall-clock seconds from the request to the last byte. Memory: VmRSS of each gunicorn worker
(/proc/<pid>/status) just before the export and its peak while streaming (sampled every 50 ms); the growth is the
larger of the two workers'. Both workers are warmed with a small export first.
Without a server (--no-http): the same view through Django's test client in this process, with this process's RSS.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import FAIL, Row
from bench.support import Context, bench_user, session_header

WHAT = "CSV export (applications, every state)"
BUDGET = ">= 50,000 rows/s, growth <= 50 MB"
PATH = "/staff/exports/applications.csv?state=all"
WARM = "/staff/exports/applications.csv?state=rejected"


def rss_kb(pid: int | str = "self") -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class PeakSampler:
    """The highest RSS of some processes while a block runs (sampled in a thread)."""

    def __init__(self, pids: list[int | str], every: float = 0.05) -> None:
        self.pids = pids
        self.every = every
        self.before = {pid: rss_kb(pid) for pid in pids}
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_kb(pid))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for pid in self.pids:
            self.peak[pid] = max(self.peak[pid], rss_kb(pid))

    @property
    def growth_mb(self) -> float:
        return max((self.peak[pid] - self.before[pid]) / 1024 for pid in self.pids) if self.pids else 0.0


def gunicorn_workers(port: int) -> list[int]:
    """The worker processes of the gunicorn bound to `port` (children of its master)."""
    bind = f"--bind=127.0.0.1:{port}".encode()
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if b"gunicorn" in cmdline and bind in cmdline:
            parent = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:"))
            found[int(entry.name)] = parent
    return [pid for pid, parent in found.items() if parent in found]


def _stream_http(url: str, headers: dict[str, str]) -> tuple[int, int]:
    """(lines, bytes) of the whole answer, read in 64 KB pieces."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - 127.0.0.1
    lines = size = 0
    with urllib.request.urlopen(request, timeout=1800) as response:  # noqa: S310
        assert response.status == 200, response.status
        while chunk := response.read(65536):
            lines += chunk.count(b"\n")
            size += len(chunk)
    return lines, size


def _stream_client(user: Any) -> Callable[[str], tuple[int, int]]:
    from django.test import Client

    client = Client()
    client.force_login(user)

    def stream(path: str) -> tuple[int, int]:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        lines = size = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            size += len(chunk)
        return lines, size

    return stream


def run(ctx: Context) -> list[Row]:
    from certification.models import Application
    from core.access import roles

    user = bench_user("bench-exporter@bench.test", roles.ADMIN)
    expected = Application.objects.count()
    if ctx.base_url is not None:
        headers = session_header(user)
        port = int(ctx.base_url.rsplit(":", 1)[1])
        pids: list[int | str] = list(gunicorn_workers(port))

        def stream(path: str) -> tuple[int, int]:
            return _stream_http(ctx.base_url + path, headers)  # type: ignore[operator]

        where = f"gunicorn ({len(pids)} workers, RSS of each from /proc)"
    else:
        stream = _stream_client(user)
        pids = ["self"]
        where = "in-process test client (no server), this process's RSS"
    for _ in range(4):  # both workers have served an export before the measured one
        stream(WARM)
    with PeakSampler(pids) as sampler:
        started = time.perf_counter()
        lines, size = stream(PATH)
        elapsed = time.perf_counter() - started
    rows = lines - 1  # the header
    rate = rows / elapsed if elapsed else 0.0
    ok = rows == expected
    note = (
        f"{rows:,} of {expected:,} rows, {size / 1e6:.0f} MB in {elapsed:.1f} s = {rate:,.0f} rows/s; "
        f"memory growth {sampler.growth_mb:.1f} MB (peak VmRSS during the stream minus before); {where}"
    )
    row = Row(what=f"{WHAT}, {expected:,} rows", budget=BUDGET, rps=None, p50=elapsed * 1000, note=note)
    if not ok:
        row.result = FAIL
        row.note = "error: row count differs; " + note
    elif ctx.quick:
        row.result = Row.verdict(True)
        row.note += "; quick run: budget judged on the full run"
    else:
        row.result = Row.verdict(rate >= 50_000 and sampler.growth_mb <= 50)
    return [row]
