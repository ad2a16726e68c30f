"""Staff dashboard with all its charts: p95 <= 300 ms warm, <= 2 s for the first load after a change invalidates it.

One "load" is what a browser fetches: the page, then each chart's SVG (9 images), one after the other over one
keep-alive connection to gunicorn, as a national reviewer (every region) with the default period (1 January to
today). Warm: 20 loads after a first one. After a change: a row of the kind a figure reads is saved through the ORM
(the same signal path as the services' writes, reports/freshness.py), then one load is timed; three times per kind:
a case moving (the application, overdue and quota figures compute again), a certificate issued (the three
certificate charts, graduation and the yearly confirmations), a training follow-up recorded (coverage, graduation),
and everything at once (a cold cache: the worst case).
"""

from __future__ import annotations

import http.client
import re
import time
from typing import Any
from urllib.parse import urlsplit

from bench.report import Row
from bench.support import Context, bench_user, session_header

PAGE = "/staff/dashboard/"
WARM_BUDGET = "p95 <= 300 ms warm"
CHANGED_BUDGET = "<= 2 s after a change"
IMG = re.compile(r'<img src="(/staff/dashboard/charts/[^"]+)"')


def reviewer() -> Any:
    from core import roles

    return bench_user("bench-reviewer@bench.test", roles.REVIEWER)


class Browser:
    """One keep-alive HTTP connection with a session cookie; `load()` fetches the page and every chart."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
        self.headers = {**headers, "Accept-Language": "id"}

    def get(self, path: str) -> bytes:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return body

    def load(self) -> tuple[float, int]:
        started = time.perf_counter()
        html = self.get(PAGE).decode()
        charts = [src.replace("&amp;", "&") for src in IMG.findall(html)]
        for src in charts:
            self.get(src)
        return time.perf_counter() - started, len(charts)


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
    for kind, what in (
        ("case", "a case changed"),
        ("certificate", "a certificate issued"),
        ("training", "a follow-up recorded"),
        ("everything", "everything changed (cold cache)"),
    ):
        times = []
        for _ in range(1 if ctx.quick else 3):
            change(kind)
            times.append(browser.load()[0])
        worst = max(times)
        rows.append(
            Row(
                what=f"{label}: first load after {what}",
                budget=CHANGED_BUDGET,
                p50=percentile(times, 0.5) * 1000,
                p95=worst * 1000,
                result=Row.verdict(worst <= 2.0),
                note=f"worst of {len(times)} (each after its own change)",
            )
        )
    return rows
