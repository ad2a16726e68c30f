"""Submission with its evidence snapshot (issue 34): p95 <= 150 ms; storage per case reported and projected for 5M.

Drafts of the regular pathway from the seeded data, completed as their owners would (the required documents uploaded
through the owner's service), are submitted:
- through the service (`application_transition(action="submit")`: readiness checks, the process flow drawn from the
  steps, the snapshot of the dossier, the event sealed into the hash chain), and
- through the API (`POST /api/v1/applications/{id}/transitions/` with the owner's token, Django's test client in
  this process: the whole request stack without the network).
Each submission runs inside a transaction rolled back afterwards, so a case is submitted again and again from the same
draft and the database keeps nothing (a stored snapshot can never be deleted: the guard trigger refuses it). Not
counted therefore: the commit's WAL flush (about a millisecond here) and the on-commit notices (queued to Celery).

Storage: the content's size as stored (`pg_column_size`, TOAST-compressed) for the submissions measured here, and
the snapshot table's whole size (heap, TOAST, indexes) per stored snapshot from the seeded ones, projected for 5M
applications at the seeded share of submitted cases.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.report import Row
from bench.support import Context, token_header

WHAT_SERVICE = "submission with its evidence snapshot (service)"
WHAT_API = "submission with its evidence snapshot (API POST)"
WHAT_STORAGE = "evidence snapshot storage"
BUDGET = "p95 <= 150 ms"
BUDGET_MS = 150.0
CASES, ROUNDS = 20, 10  # drafts, submissions of each
QUICK_CASES, QUICK_ROUNDS = 5, 3
REGISTRATION = "SH2026-BENCH-0001"


class _Undo(Exception):
    """Raised to roll a submission back."""


def drafts(count: int) -> list[Any]:
    """Up to `count` regular drafts (an LPH chosen, products attached) of different owners, made complete."""
    from bench.cases.mixed_load import _complete
    from certification import selectors
    from certification.models import Application

    today = selectors.cal.today()
    found: list[Any] = []
    owners: set[int] = set()
    candidates = (
        Application.objects.filter(state="draft", pathway="regular", lph__isnull=False, products__isnull=False)
        .select_related("business", "business__owner")
        .distinct()
        .order_by("pk")[: count * 10]
    )
    for application in candidates:
        if application.business.owner_id in owners:
            continue
        if _complete(application, today):
            found.append(application)
            owners.add(application.business.owner_id)
        if len(found) == count:
            break
    return found


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _submit_service(application_id: int, owner: Any) -> tuple[float, int]:
    """(milliseconds, stored size of the new snapshot's content in bytes), rolled back."""
    from django.db import connection, transaction

    from certification.services import application_transition

    size = 0
    started = time.perf_counter()
    try:
        with transaction.atomic():
            app = application_transition(
                application_id=application_id,
                action="submit",
                actor=owner,
                sihalal_registration=REGISTRATION,
            )
            elapsed = (time.perf_counter() - started) * 1000
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_column_size(content) FROM certification_evidencesnapshot WHERE id = %s",
                    [app.evidence_id],
                )
                size = int(cursor.fetchone()[0])
            raise _Undo
    except _Undo:
        pass
    return elapsed, size


def _submit_api(client: Any, application_id: int, headers: dict[str, str]) -> float:
    from django.db import transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            response = client.post(
                f"/api/v1/applications/{application_id}/transitions/",
                {"action": "submit", "sihalal_registration": REGISTRATION},
                content_type="application/json",
                headers=headers,
            )
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (response.status_code, response.content[:300])
            raise _Undo
    except _Undo:
        pass
    return elapsed


def storage() -> dict[str, float]:
    """The seeded snapshots' footprint: table bytes (heap, TOAST, indexes) and content bytes per snapshot, and the
    share of applications that have one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('certification_evidencesnapshot'), "
            "COALESCE(avg(pg_column_size(content)), 0) FROM certification_evidencesnapshot"
        )
        snapshots, table_bytes, content_bytes = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM certification_application")
        (applications,) = cursor.fetchone()
    return {
        "snapshots": float(snapshots),
        "table_bytes": float(table_bytes),
        "content_bytes": float(content_bytes),
        "applications": float(applications),
    }


def run(ctx: Context) -> list[Row]:
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        return [Row(what=WHAT_SERVICE, budget=BUDGET, note="skipped: needs PostgreSQL")]
    cases, rounds = (QUICK_CASES, QUICK_ROUNDS) if ctx.quick else (CASES, ROUNDS)
    found = drafts(cases)
    if not found:
        return [Row(what=WHAT_SERVICE, budget=BUDGET, note="no regular draft with products to submit")]
    service: list[float] = []
    sizes: list[int] = []
    api: list[float] = []
    client = Client()
    headers = {application.pk: token_header(application.business.owner) for application in found}
    for application in found:  # warm-up: templates, fonts of the process-flow document, imports
        _submit_service(application.pk, application.business.owner)
    for _ in range(rounds):
        for application in found:
            elapsed, size = _submit_service(application.pk, application.business.owner)
            service.append(elapsed)
            sizes.append(size)
            api.append(_submit_api(client, application.pk, headers[application.pk]))
    rows = []
    for what, values in ((WHAT_SERVICE, service), (WHAT_API, api)):
        p95 = _percentile(values, 0.95)
        rows.append(
            Row(
                what=what,
                budget=BUDGET,
                p50=statistics.median(values),
                p95=p95,
                p99=_percentile(values, 0.99),
                result=Row.verdict(p95 <= BUDGET_MS),
                note=f"{len(values)} submissions of {len(found)} drafts, each rolled back (in-process)",
            )
        )
    stored = storage()
    per_snapshot = stored["table_bytes"] / stored["snapshots"] if stored["snapshots"] else 0.0
    share = stored["snapshots"] / stored["applications"] if stored["applications"] else 0.0
    projected = per_snapshot * share * 5_000_000
    rows.append(
        Row(
            what=WHAT_STORAGE,
            budget="reported, projected for 5M",
            note=(
                f"a submission here: content {statistics.median(sizes) / 1024:.1f} KiB stored (median); seeded: "
                f"{stored['snapshots']:,.0f} snapshots, content {stored['content_bytes'] / 1024:.1f} KiB, table "
                f"{per_snapshot / 1024:.1f} KiB per snapshot (heap, TOAST, indexes); {share:.2f} per application "
                f"-> {projected / 1024**3:.1f} GiB at 5,000,000 applications"
            ),
        )
    )
    return rows
