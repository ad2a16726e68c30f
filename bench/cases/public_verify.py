"""Public certificate verification JSON against a bare Django JSON view: >= 0.6x the requests/s."""

from __future__ import annotations

from bench.cases.http import against_baseline, no_server, paired, row_of
from bench.report import Row
from bench.support import Context

WHAT = "public verification GET /api/v1/public/certificates/{n}/"
BUDGET = ">= 0.6x bare Django JSON"


def _a_number() -> str | None:
    """A certificate number from the database."""
    from certification.models import Certificate

    return Certificate.objects.order_by("pk").values_list("number", flat=True).first()


def run(ctx: Context) -> list[Row]:
    number = _a_number()
    if number is None:
        return [Row.not_built(WHAT, BUDGET, "no certificates in the bench database")]
    if ctx.base_url is None:
        return [no_server(WHAT, BUDGET)]
    baseline, measured = paired(ctx, {"path": "/bench/json/"}, {"path": f"/api/v1/public/certificates/{number}/"})
    return [
        row_of("  baseline: bare Django JSON view", baseline),
        against_baseline(WHAT, measured, baseline, 0.6, BUDGET),
    ]
