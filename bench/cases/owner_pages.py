"""The owner's home and case page at 5,000,000 applications: p95 <= 60 ms, fixed queries (issue 34).

Together they took 45 % of the server's time in the mixed load (owner: case page 28 %, home 17 %). HTTP: a real
owner of the bench data (the first application in verification, a typical case with its evidence snapshot when
the data has one), logged in by session, with wrk -c2 (one connection per gunicorn worker): p95 is service time.
Queries: counted in-process for this owner and for an owner of a case with more products; the counts must be equal.
"""

from __future__ import annotations

from typing import Any

from bench.cases.http import load, no_server, row_of
from bench.report import Row
from bench.server import WORKERS
from bench.support import Context, session_header

BUDGET = "p95 <= 60 ms, fixed queries"


def _owners() -> tuple[Any, Any] | None:
    """(a typical case, a case with more products), both in verification."""
    from django.db.models import Count

    from certification.models import Application

    cases = Application.objects.filter(state="verification").select_related("business__owner")
    typical = cases.order_by("pk").first()
    if typical is None:
        return None
    year = typical.submitted_at.year if typical.submitted_at else None
    # Submitted the same year: a year the working-day calendar does not hold costs its own query on every page
    # (core.calendar), which is the seed's gap (no calendar for its oldest years), not the page's.
    larger = (
        cases.filter(pk__gt=typical.pk, pk__lt=typical.pk + 200_000, submitted_at__year=year)
        # The same parts shown: an evidence snapshot (compared with the live dossier) and a verification record
        # each cost their own queries when the case has one, whatever their size.
        .filter(evidence__isnull=typical.evidence_id is None)
        .filter(verification__isnull=not hasattr(typical, "verification"))
        .annotate(n=Count("products"))
        .order_by("-n", "pk")
        .first()
    )
    return typical, larger or typical


def _queries(application: Any, path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(application.business.owner)
    client.get(path)  # the session row and the process's cached lists exist
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def run(ctx: Context) -> list[Row]:
    from certification.models import Application

    total = Application.objects.count()
    owners = _owners()
    pages = [("owner home GET /home/", "/home/"), ("owner case page GET /applications/{pk}/", "/applications/{pk}/")]
    if owners is None:
        return [
            Row.not_built(f"{what} ({total:,} applications)", BUDGET, "no case in verification") for what, _ in pages
        ]
    typical, larger = owners
    rows = []
    for what, template in pages:
        label = f"{what} ({total:,} applications)"
        one = _queries(typical, template.format(pk=typical.pk))
        more = _queries(larger, template.format(pk=larger.pk))
        note = f"queries: {one} (case #{typical.pk}), {more} (case #{larger.pk}, {larger.products.count()} products)"
        fixed = one == more
        if ctx.base_url is None:
            row = no_server(label, BUDGET)
            row.result, row.note = Row.verdict(fixed), note
            rows.append(row)
            continue
        headers = session_header(typical.business.owner)
        result = load(ctx, template.format(pk=typical.pk), headers=headers, connections=WORKERS, threads=WORKERS)
        row = row_of(label, result, budget=BUDGET)
        if row.result != "FAIL":
            row.result = Row.verdict(result.p95_ms <= 60 and fixed)
            row.note = note
        rows.append(row)
    return rows
