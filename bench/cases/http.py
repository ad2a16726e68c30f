"""Shared by the HTTP cases: load one endpoint and its baseline with wrk, as two rows with a ratio."""

from __future__ import annotations

from bench.report import BASE, FAIL, Row
from bench.support import Context
from bench.wrk import WrkResult, run_wrk

ROUNDS = 2


def load(ctx: Context, path: str, **kwargs: object) -> WrkResult:
    assert ctx.base_url is not None
    return run_wrk(ctx.base_url + path, seconds=ctx.seconds, **kwargs)  # type: ignore[arg-type]


def paired(ctx: Context, baseline: dict[str, object], measured: dict[str, object]) -> tuple[WrkResult, WrkResult]:
    """Baseline and endpoint loaded alternately, ROUNDS times each; the best run of each counts. On a machine
    shared with other work, alternating and keeping the best cancels most of the noise in the ratio."""
    base_runs, measured_runs = [], []
    for _ in range(ROUNDS):
        base_runs.append(load(ctx, **baseline))  # type: ignore[arg-type]
        measured_runs.append(load(ctx, **measured))  # type: ignore[arg-type]
    return max(base_runs, key=lambda r: r.rps), max(measured_runs, key=lambda r: r.rps)


def row_of(what: str, result: WrkResult, *, budget: str = "", result_text: str = BASE) -> Row:
    row = Row(what=what, budget=budget, rps=result.rps, p50=result.p50_ms, p95=result.p95_ms, p99=result.p99_ms)
    row.result = result_text
    if not result.clean:
        row.result = FAIL
        row.note = f"{result.non2xx} non-2xx, {result.socket_errors} socket errors of {result.requests}"
    return row


def against_baseline(what: str, measured: WrkResult, baseline: WrkResult, minimum: float, budget: str) -> Row:
    row = row_of(what, measured, budget=budget)
    row.ratio = measured.rps / baseline.rps if baseline.rps else None
    if row.result != FAIL:
        row.result = Row.verdict(row.ratio is not None and row.ratio >= minimum)
    return row


def no_server(what: str, budget: str) -> Row:
    return Row(what=what, budget=budget, note="skipped (run without --no-http)")
