"""Public certificate verification, the JSON answer and the page a QR code opens, each against its bare Django
baseline in the same run: >= 0.75x the requests/s."""

from __future__ import annotations

from bench.cases.http import against_baseline, no_server, paired, row_of
from bench.report import Row
from bench.support import Context

WHAT = "public verification GET /api/v1/public/certificates/{n}/"
WHAT_PAGE = "public verification page GET /verify/{token}/"
BUDGET = ">= 0.75x bare Django JSON"
BUDGET_PAGE = ">= 0.75x bare Django HTML"
MINIMUM = 0.75


def _a_certificate() -> tuple[str, str] | None:
    """A certificate's number and token from the database."""
    from certification.models import Certificate

    return Certificate.objects.order_by("pk").values_list("number", "token").first()


def run(ctx: Context) -> list[Row]:
    certificate = _a_certificate()
    if certificate is None:
        return [Row.not_built(w, b, "no certificates in the bench database") for w, b in _rows()]
    if ctx.base_url is None:
        return [no_server(w, b) for w, b in _rows()]
    number, token = certificate
    baseline, measured = paired(ctx, {"path": "/bench/json/"}, {"path": f"/api/v1/public/certificates/{number}/"})
    page_baseline, page = paired(ctx, {"path": "/bench/html/"}, {"path": f"/verify/{token}/"})
    return [
        row_of("  baseline: bare Django JSON view", baseline),
        against_baseline(WHAT, measured, baseline, MINIMUM, BUDGET),
        row_of("  baseline: bare Django HTML view (a template)", page_baseline),
        against_baseline(WHAT_PAGE, page, page_baseline, MINIMUM, BUDGET_PAGE),
    ]


def _rows() -> list[tuple[str, str]]:
    return [(WHAT, BUDGET), (WHAT_PAGE, BUDGET_PAGE)]
