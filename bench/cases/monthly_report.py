"""Monthly report PDF at 1,000,000 applications: <= 10 s."""

from __future__ import annotations

import time
from datetime import date

from bench.report import Row
from bench.support import Context

WHAT = "monthly report PDF"
BUDGET = "<= 10 s"


def run(ctx: Context) -> list[Row]:
    from reports.services import monthly_report_pdf as render

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
