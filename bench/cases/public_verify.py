"""Public certificate verification JSON against a bare Django JSON view: >= 0.6x the requests/s."""

from __future__ import annotations

from bench.cases.http import against_baseline, no_server, paired, row_of
from bench.report import Row
from bench.support import Context, find_model, route_exists

WHAT = "public verification GET /api/v1/public/certificates/{n}/"
BUDGET = ">= 0.6x bare Django JSON"


def _a_number() -> str | None:
    """A certificate number from the database (the certificates issue adds the model)."""
    Certificate = find_model("certification", "Certificate")
    if Certificate is None:
        return None
    return Certificate.objects.order_by("pk").values_list("number", flat=True).first()


def run(ctx: Context) -> list[Row]:
    if not route_exists("/api/v1/public/certificates/ID1811000000010126/"):
        return [Row.not_built(WHAT, BUDGET, "GET /api/v1/public/certificates/{number}/")]
    number = _a_number()
    if number is None:
        return [Row.not_built(WHAT, BUDGET, "no certificates in the bench database (seed_bulk writes none yet)")]
    if ctx.base_url is None:
        return [no_server(WHAT, BUDGET)]
    baseline, measured = paired(ctx, {"path": "/bench/json/"}, {"path": f"/api/v1/public/certificates/{number}/"})
    return [
        row_of("  baseline: bare Django JSON view", baseline),
        against_baseline(WHAT, measured, baseline, 0.6, BUDGET),
    ]
