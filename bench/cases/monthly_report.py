"""Monthly report PDF at 1,000,000 applications: <= 10 s."""

from __future__ import annotations

import time
from datetime import date

from bench.report import Row
from bench.support import Context, find_callable

WHAT = "monthly report PDF"
BUDGET = "<= 10 s"
# Where the dashboard issue may put it: a function taking (year, month) keywords and returning PDF bytes.
RENDERERS = ("halalmsi.dashboard.report_services.monthly_report_pdf",)


def run(ctx: Context) -> list[Row]:
    render = find_callable(*RENDERERS)
    if render is None:
        return [Row.not_built(WHAT, BUDGET, "halalmsi.reports.monthly_report_pdf")]
    today = date.today()
    started = time.perf_counter()
    pdf = render(year=today.year, month=today.month)
    elapsed = time.perf_counter() - started
    return [
        Row(
            what=WHAT,
            budget=BUDGET,
            p50=elapsed * 1000,
            result=Row.verdict(elapsed <= 10),
            note=f"{elapsed:.2f} s, {len(pdf):,} bytes",
        )
    ]
