"""Staff dashboard with all its charts: p95 <= 300 ms warm, <= 2 s for the first load after a change invalidates it.

One "load" is what a browser fetches: the page, then each chart's SVG (9 images) over two keep-alive connections
at once (a browser uses up to six; gunicorn has two workers), as a national reviewer (every region) with the
default period (1 January to today). Warm: 20 loads after a first one. After a change: a row of the kind a figure
reads is saved through the ORM (the same signal path as the services' writes, reports/freshness.py), then one load
is timed; three times per kind: a case moving (the application, overdue and quota figures compute again), a
certificate issued (the three certificate charts, graduation and the yearly confirmations), a training follow-up
recorded (coverage, graduation), and everything at once (a cold cache: the worst case).
"""

from __future__ import annotations

import http.client
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from bench.report import Row
from bench.support import Context, bench_user, session_header

PAGE = "/staff/dashboard/"
WARM_BUDGET = "p95 <= 300 ms warm"
CHANGED_BUDGET = "<= 2 s after a change"
IMAGE_CONNECTIONS = 2
UPDATING = 'id="updating-'
IMG = re.compile(r'<img src="(/staff/dashboard/charts/[^"]+)"')


def reviewer() -> Any:
    from core.access import roles

    return bench_user("bench-reviewer@bench.test", roles.REVIEWER)


class Browser:
    """Keep-alive HTTP connections with a session cookie; `load()` fetches the page, then its charts over two
    connections at once, as a browser does (browsers open up to six; gunicorn here has two workers)."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        self.connections = [
            http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
            for _ in range(IMAGE_CONNECTIONS)
        ]
        self.headers = {**headers, "Accept-Language": "id"}

    def get(self, path: str, connection: int = 0) -> bytes:
        conn = self.connections[connection]
        conn.request("GET", path, headers=self.headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return body

    def load(self) -> tuple[float, int]:
        started = time.perf_counter()
        html = self.get(PAGE).decode()
        charts = [src.replace("&amp;", "&") for src in IMG.findall(html)]
        with ThreadPoolExecutor(max_workers=IMAGE_CONNECTIONS) as pool:
            list(
                pool.map(lambda n: [self.get(src, n) for src in charts[n::IMAGE_CONNECTIONS]], range(IMAGE_CONNECTIONS))
            )
        return time.perf_counter() - started, len(charts)

    def until_fresh(self, timeout: float = 120) -> float:
        """Poll the page until no figure is marked as being updated; the moment it is all fresh."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if UPDATING not in self.get(PAGE).decode():
                return time.perf_counter()
            time.sleep(0.25)
        raise RuntimeError("the dashboard's figures were not computed again within two minutes (no worker?)")


def change(kind: str) -> None:
    """Save one row of the kind, as a service would: the post_save signal bumps the generations it feeds."""
    from core import generations

    if kind == "everything":
        generations.bump("cases", "certificates", "training", "figures", "fees", "compositions")
        return
    from certification.models import Application, Certificate
    from training.models import FollowUp

    model = {"case": Application, "certificate": Certificate, "training": FollowUp}[kind]
    row = model.objects.order_by("-pk").first()
    if row is None:
        raise RuntimeError(f"no {model.__name__} in the bench database")
    field = {"case": "updated_at", "certificate": "issued_at", "training": "done_on"}[kind]
    row.save(update_fields=[field])


def slowest_figures(ctx: Context) -> tuple[str, str]:
    """Each figure computed cold in-process: (a note naming the slowest figures, the EXPLAIN ANALYZE of the slowest
    query, also written to bench/out/explain-dashboard-<N>.txt for RESULTS.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from certification.models import Application
    from fees.models import FeeSchedule
    from reports import selectors as s
    from reports.figures import BUILDERS
    from reports.forms import year_start

    period = s.Period(start=year_start(), end=timezone.localdate())
    schedule = FeeSchedule.objects.filter(active=True).order_by("pk").first()
    timings, slowest = [], (0.0, "", "")
    for name, build in BUILDERS.items():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            build(period, schedule)
            timings.append((time.perf_counter() - started, name))
        for query in captured.captured_queries:
            if float(query["time"]) > slowest[0]:
                slowest = (float(query["time"]), name, query["sql"])
    timings.sort(reverse=True)
    note = "cold, in-process: " + ", ".join(f"{name} {seconds * 1000:,.0f} ms" for seconds, name in timings[:4])
    plan = ""
    if slowest[2] and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql = slowest[2]
            if sql.startswith("DECLARE"):  # a server-side cursor (iterator()): explain its SELECT
                sql = sql.split(" FOR ", 1)[1]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        total = Application.objects.count()
        ctx.out.mkdir(parents=True, exist_ok=True)
        (ctx.out / f"explain-dashboard-{total}.txt").write_text(
            f"-- slowest dashboard query ({slowest[1]}, {slowest[0] * 1000:,.0f} ms) at {total:,} applications\n"
            f"{slowest[2]}\n\n{plan}\n"
        )
    return note, plan


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def run(ctx: Context) -> list[Row]:
    from certification.models import Application

    total = Application.objects.count()
    label = f"staff dashboard, all charts ({total:,} applications)"
    if ctx.base_url is None:
        return [Row(what=label, budget=WARM_BUDGET, note="skipped (run without --no-http)")]
    browser = Browser(ctx.base_url, session_header(reviewer()))
    change("everything")
    first, charts = browser.load()
    warm = [browser.load()[0] for _ in range(5 if ctx.quick else 20)]
    p95 = percentile(warm, 0.95)
    rows = [
        Row(
            what=f"{label}: warm",
            budget=WARM_BUDGET,
            p50=percentile(warm, 0.5) * 1000,
            p95=p95 * 1000,
            result=Row.verdict(p95 <= 0.3 and charts == 9),
            note=f"{len(warm)} loads of the page and its {charts} charts; the first (cold) took {first:.2f} s",
        )
    ]
    note, _plan = slowest_figures(ctx)
    rows[0].note += f"; {note}"
    for kind, what in (
        ("case", "a case changed"),
        ("certificate", "a certificate issued"),
        ("training", "a follow-up recorded"),
        ("everything", "everything changed"),
    ):
        times, settled = [], []
        for _ in range(1 if ctx.quick else 3):
            change(kind)
            changed_at = time.perf_counter()
            times.append(browser.load()[0])
            settled.append(browser.until_fresh() - changed_at)
        worst = max(times)
        rows.append(
            Row(
                what=f"{label}: first load after {what}",
                budget=CHANGED_BUDGET,
                p50=percentile(times, 0.5) * 1000,
                p95=worst * 1000,
                result=Row.verdict(worst <= 2.0),
                note=(
                    f"worst of {len(times)} (each after its own change); every figure fresh on the page "
                    f"{max(settled):.1f} s after the change (national aggregates computed by the worker)"
                ),
            )
        )
    return rows
