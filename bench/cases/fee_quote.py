"""Fee quote API against a bare DRF APIView with the same configuration: >= 0.9x the requests/s."""

from __future__ import annotations

import json

from bench.cases.http import against_baseline, no_server, paired, row_of
from bench.report import Row
from bench.support import Context

WHAT = "fee quote POST /api/v1/fees/quote/"
BUDGET = ">= 0.9x bare DRF"
BODY = json.dumps({"annual_sales": 350_000_000, "operating_expenses": 210_000_000})
HEADERS = {"Content-Type": "application/json"}


def run(ctx: Context) -> list[Row]:
    if ctx.base_url is None:
        return [no_server(WHAT, BUDGET)]
    baseline, measured = paired(
        ctx,
        {"path": "/bench/drf/", "method": "POST", "body": BODY, "headers": HEADERS},
        {"path": "/api/v1/fees/quote/", "method": "POST", "body": BODY, "headers": HEADERS},
    )
    return [
        row_of("  baseline: bare DRF APIView POST", baseline),
        against_baseline(WHAT, measured, baseline, 0.9, BUDGET),
    ]
