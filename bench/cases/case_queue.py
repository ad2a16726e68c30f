"""Staff case queue at 1,000,000 applications, 50 rows a page: p95 <= 80 ms; query count fixed.

HTTP: the staff page /cases/ (session cookie) and the API GET /api/v1/applications/ (token), as a reviewer, with
wrk -c2 (one connection per gunicorn worker): p95 is then the service time, not time waiting in the queue.
Queries: counted in-process with CaptureQueriesContext for a full page (50 rows) and a one-row page
(`assigned_to_me`, with one open application assigned to the bench reviewer); the counts must be equal.
"""

from __future__ import annotations

from typing import Any

from bench.cases.http import load, no_server, row_of
from bench.report import Row
from bench.server import WORKERS
from bench.support import Context, bench_user, clear_own_cache, session_header, token_header

BUDGET = "p95 <= 80 ms, fixed queries"
ENDPOINTS = [
    ("staff queue page GET /cases/", "/cases/"),
    ("case queue API GET /api/v1/applications/", "/api/v1/applications/"),
]
OPEN = ["submitted", "pph_verification", "verification", "awaiting_payment", "lph_examination", "fatwa", "issuance"]


def reviewer() -> Any:
    from core.access import roles

    return bench_user("bench-reviewer@bench.test", roles.REVIEWER)


def assign_one(user: Any) -> None:
    """Exactly one open application assigned to the bench reviewer: the one-row page."""
    from certification.models import Application

    Application.objects.filter(assigned_reviewer=user).update(assigned_reviewer=None)
    first = Application.objects.filter(state__in=OPEN, assigned_pph__isnull=True).order_by("pk").first()
    if first is None:
        first = Application.objects.filter(state__in=OPEN).order_by("pk").first()
    Application.objects.filter(pk=first.pk).update(assigned_reviewer=user)


def query_counts(user: Any, path: str) -> tuple[int, int, int]:
    """(queries for the first page, queries for the one-row page, rows on the first page), each counted with an empty
    cache: the worst case (a warm page skips the cached COUNT of a large queue and, on the page, the cached
    assignment lists), and the same for both pages."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    counts = []
    rows = 0
    for query in ("", "?assigned_to_me=1" if "api" in path else "?assigned_to_me=on"):
        client.get(path + query)  # the session row exists
        clear_own_cache()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path + query)
        assert response.status_code == 200, (path + query, response.status_code)
        counts.append(len(captured.captured_queries))
        if not query:
            rows = _rows_of(response)
    return counts[0], counts[1], rows


def _rows_of(response: Any) -> int:
    if response.get("Content-Type", "").startswith("application/json"):
        return len(response.json()["results"])
    return max(response.content.decode().count("<tr") - 1, 0)  # minus the header row


def run(ctx: Context) -> list[Row]:
    from certification.models import Application

    total = Application.objects.count()
    user = reviewer()
    assign_one(user)
    rows = []
    for what, path in ENDPOINTS:
        many, one, shown = query_counts(user, path)
        label = f"{what} ({total:,} applications)"
        fixed = many == one
        note = f"queries (cold cache): {many} for a full page ({shown} rows), {one} for 1 row"
        if ctx.base_url is None:
            row = no_server(label, BUDGET)
            row.result = Row.verdict(fixed)
            row.note = note
            rows.append(row)
            continue
        headers = token_header(user) if "api" in path else session_header(user)
        # A latency budget: as many connections as gunicorn workers, so p95 is service time, not queueing.
        result = load(ctx, path, headers=headers, connections=WORKERS, threads=WORKERS)
        row = row_of(label, result, budget=BUDGET)
        if row.result != "FAIL":
            row.result = Row.verdict(result.p95_ms <= 80 and fixed)
            row.note = note
        rows.append(row)
    return rows
