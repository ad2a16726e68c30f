"""Reads routed to a streaming replica, side by side with the same reads on the primary, the replication lag seen,
and the mixed load through the replica topology (issues 33 and 34). Opt-in: `--replica-url`, a streaming replica of
`--database-url` (scripts/bench_replica_cluster.sh makes a small primary and replica on 127.0.0.1; README
"Benchmarks"). Without it the case answers one "skipped" row, so `--quick` (CI) needs no replica.

Two gunicorns, 2 sync workers each, alternately loaded (never both at once): the benchmark's own (primary only) and
one with DATABASE_REPLICA_URL set, so the views of REPLICA_READ_VIEWS read from the replica (core/routing.py). Each
endpoint is loaded with wrk on one, then the other, twice; the best run of each counts. A CSV export (a streamed
read of many rows) is timed by downloading it. The lag is the time from a commit on the primary to the replica
having replayed it (WAL position), idle and while the mixed load runs on the replica topology.

On one machine the replica shares the cores with the primary, gunicorn and the load generator: moving reads to it
adds no CPU, so the two columns should be close; what the replica buys shows only when it runs on its own machine.
"""

from __future__ import annotations

import dataclasses
import statistics
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.cases import mixed_load
from bench.cases.http import ROUNDS, load, row_of
from bench.report import FAIL, Row
from bench.server import Server, server_env
from bench.support import Context, bench_user, session_header
from bench.wrk import WrkResult

WHAT = "replica reads"
BUDGET = "side by side with the primary"
LAG_SAMPLES = 50
MIXED_STEPS, MIXED_SECONDS = [20, 40, 60], 20
QUICK_MIXED_STEPS, QUICK_MIXED_SECONDS = [4], 4


def _dsn(url: str) -> dict[str, Any]:
    import dj_database_url

    config = dj_database_url.parse(url)
    return {
        "dbname": config["NAME"],
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
    }


def _connect(url: str) -> Any:
    import psycopg2

    connection = psycopg2.connect(**_dsn(url))
    connection.autocommit = True
    return connection


def lag_once(primary: Any, replica: Any, timeout: float = 10.0) -> float:
    """Milliseconds from a commit on the primary (a WAL message: no table is touched) until the replica has
    replayed it."""
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_logical_emit_message(true, 'bench-lag', '')")
        (lsn,) = cursor.fetchone()
    started = time.perf_counter()
    deadline = started + timeout
    with replica.cursor() as cursor:
        while time.perf_counter() < deadline:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return (time.perf_counter() - started) * 1000
            time.sleep(0.0005)
    return timeout * 1000


def _lags(primary_url: str, replica_url: str, samples: int, stop: threading.Event | None = None) -> list[float]:
    primary, replica = _connect(primary_url), _connect(replica_url)
    found: list[float] = []
    try:
        while len(found) < samples or (stop is not None and not stop.is_set()):
            found.append(lag_once(primary, replica))
            time.sleep(0.05 if stop is None else 0.25)
            if stop is not None and stop.is_set():
                break
    finally:
        primary.close()
        replica.close()
    return found


def _lag_note(values: list[float]) -> str:
    if not values:
        return "no sample"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {max(values):.1f} ms ({len(values)} commits)"
    )


def _sample(primary_url: str, replica_url: str, stop: threading.Event, into: list[float]) -> None:
    """Lag samples until `stop` is set (a thread beside a load step)."""
    into.extend(_lags(primary_url, replica_url, 1, stop))


@contextmanager
def _replica_server(ctx: Context) -> Iterator[Server]:
    assert ctx.database_url and ctx.replica_url and ctx.redis_url
    env = {**server_env(ctx.database_url, ctx.redis_url), "DATABASE_REPLICA_URL": ctx.replica_url}
    with Server(port=ctx.port + 1, env=env, log=ctx.out / "gunicorn-replica.log") as server:
        yield server


def _targets() -> list[tuple[str, str, dict[str, str]]]:
    from certification.models import Certificate
    from core.access import roles

    number, token = Certificate.objects.filter(status="valid").order_by("pk").values_list("number", "token").first()
    staff = session_header(bench_user("bench-reviewer@bench.test", roles.REVIEWER))
    return [
        ("public verification JSON", f"/api/v1/public/certificates/{number}/", {}),
        ("public verification page", f"/verify/{token}/", {}),
        ("catalogue", "/katalog/", {}),
        ("public catalogue API", "/api/v1/public/catalogue/", {}),
        ("staff dashboard", "/staff/dashboard/", staff),
    ]


def replica_transactions(url: str) -> int:
    """Transactions the replica has served in the bench database so far (its own statistics): proof that a run read
    from it."""
    connection = _connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


def _side_by_side(
    ctx: Context, replica_base: str, path: str, headers: dict[str, str]
) -> tuple[WrkResult, WrkResult, int]:
    """Both servers loaded alternately, ROUNDS times each, the best of each; and the transactions the replica served
    during the replica topology's runs."""
    assert ctx.replica_url
    primary_runs, replica_runs, served = [], [], 0
    for _ in range(ROUNDS):
        primary_runs.append(load(ctx, path, headers=headers))
        before = replica_transactions(ctx.replica_url)
        replica_runs.append(load(dataclasses.replace(ctx, base_url=replica_base), path, headers=headers))
        served += replica_transactions(ctx.replica_url) - before - 1  # minus our own count
    return max(primary_runs, key=lambda r: r.rps), max(replica_runs, key=lambda r: r.rps), served


def _download_seconds(url: str, headers: dict[str, str]) -> tuple[float, int]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - 127.0.0.1 only (the bench's servers)
    started = time.perf_counter()
    size = 0
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        while chunk := response.read(1 << 16):
            size += len(chunk)
    return time.perf_counter() - started, size


def _export_rows(ctx: Context, replica_base: str) -> list[Row]:
    from core.access import roles

    assert ctx.base_url is not None
    headers = session_header(bench_user("bench-exporter@bench.test", roles.ADMIN))
    path = "/staff/exports/applications.csv?state=rejected"
    best: dict[str, tuple[float, int]] = {}
    for _ in range(2):
        for side, base in (("primary", ctx.base_url), ("replica", replica_base)):
            seconds, size = _download_seconds(base + path, headers)
            if side not in best or seconds < best[side][0]:
                best[side] = (seconds, size)
    rows = []
    for side in ("primary", "replica"):
        seconds, size = best[side]
        rows.append(
            Row(
                what=f"  CSV export (rejected applications), read from the {side}",
                p50=seconds * 1000,
                result="measured",
                note=f"{size / 1e6:.1f} MB in {seconds:.2f} s (best of 2)",
            )
        )
    return rows


def _mixed(ctx: Context, replica_base: str) -> list[Row]:
    """The mixed load's steps on the primary-only server and on the replica topology, alternately, with the lag
    sampled while the replica topology is loaded."""
    assert ctx.base_url is not None and ctx.database_url and ctx.replica_url
    folder = ctx.out / "replica_mixed"
    data_file, data = mixed_load.prepare(ctx, folder)
    if not data["owners"]:
        return [Row.not_built("  mixed load, replica topology", BUDGET, "no owners in the bench database")]
    steps, seconds = (QUICK_MIXED_STEPS, QUICK_MIXED_SECONDS) if ctx.quick else (MIXED_STEPS, MIXED_SECONDS)
    rows = []
    for users in steps:
        for side, base in (("primary only", ctx.base_url), ("replica topology", replica_base)):
            prefix = folder / f"{side.split()[0]}-u{users}"
            stop = threading.Event()
            lags: list[float] = []
            sampler = None
            if side == "replica topology":
                sampler = threading.Thread(
                    target=_sample, args=(ctx.database_url, ctx.replica_url, stop, lags), daemon=True
                )
                sampler.start()
            step = mixed_load.run_step(base, data_file, users, seconds, prefix, officers=1 if ctx.quick else 0)
            stop.set()
            if sampler is not None:
                sampler.join(timeout=15)
            row = mixed_load._step_row(step, prefix)
            row.what = f"  mixed load, {side}, {users} users"
            if lags:
                row.note += f"; replication lag during the step: {_lag_note(lags)}"
            row.note += f"; heaviest: {mixed_load.heaviest(prefix.parent / f'{prefix.name}_stats.csv')}"
            rows.append(row)
    return rows


def run(ctx: Context) -> list[Row]:
    if not ctx.replica_url:
        return [Row(what=WHAT, budget=BUDGET, note="skipped (opt-in: --replica-url, a streaming replica)")]
    if ctx.base_url is None or not ctx.database_url:
        return [Row(what=WHAT, budget=BUDGET, note="skipped (run without --no-http)")]
    rows: list[Row] = [
        Row(
            what=f"replication lag, idle ({LAG_SAMPLES} commits)",
            result="measured",
            note=_lag_note(_lags(ctx.database_url, ctx.replica_url, LAG_SAMPLES)),
        )
    ]
    with _replica_server(ctx) as replica:
        for what, path, headers in _targets():
            urllib.request.urlopen(urllib.request.Request(replica.base_url + path, headers=headers)).read()  # noqa: S310
            primary_result, replica_result, served = _side_by_side(ctx, replica.base_url, path, headers)
            rows.append(row_of(f"  {what} GET {path}: primary only", primary_result))
            row = row_of(f"{what}: replica topology", replica_result, budget=BUDGET, result_text="measured")
            row.ratio = replica_result.rps / primary_result.rps if primary_result.rps else None
            if row.result != FAIL:
                row.note = (
                    f"ratio: replica topology / primary only (alternately loaded, best of {ROUNDS}); the replica "
                    f"served {served:,} transactions during its runs"
                )
            rows.append(row)
        rows.extend(_export_rows(ctx, replica.base_url))
        rows.extend(_mixed(ctx, replica.base_url))
    return rows
