"""Sehati quota under 500 concurrent claims for 100 places: exactly 100 granted (PostgreSQL, threads).

500 claims (one per application: a case holds one place, ever) start together from THREADS threads (a database
connection each; PostgreSQL here allows a few hundred connections in all, shared with other users), each claim in its
own transaction as the verify transition does. The applications and claims are deleted afterwards.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from bench.report import Row
from bench.support import Context

WHAT = "Sehati quota: 500 concurrent claims, 100 places"
BUDGET = "exactly 100 granted"
CLAIMS, PLACES, THREADS = 500, 100, 50
YEAR = 2099  # a year no real quota uses; its row is deleted afterwards


def claims_run(claims: int = CLAIMS, places: int = PLACES, threads: int = THREADS) -> tuple[int, int, int]:
    """(granted, refused, `used` on the row afterwards)."""
    from django.db import connection, transaction

    from applicants.models import Business
    from certification.models import Application, SehatiClaim, SehatiQuota
    from certification.quota import quota_claim as claim
    from core.errors import DomainError

    business = Business.objects.select_related("region").order_by("pk").first()
    assert business is not None, "the quota benchmark needs one business"
    SehatiQuota.objects.filter(year=YEAR).delete()
    quota = SehatiQuota.objects.create(year=YEAR, region=None, places=places)
    cases = Application.objects.bulk_create(
        Application(business=business, pathway="self_declare", created_by=business.owner) for _ in range(claims)
    )
    barrier = threading.Barrier(threads)
    batches = [cases[i::threads] for i in range(threads)]
    day = date(YEAR, 1, 5)

    def worker(batch: list[Application]) -> tuple[int, int]:
        granted = refused = 0
        try:
            barrier.wait()
            for application in batch:
                try:
                    with transaction.atomic():
                        claim(application=application, today=day)
                    granted += 1
                except DomainError:
                    refused += 1
        finally:
            connection.close()
        return granted, refused

    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(worker, batches))
        quota.refresh_from_db()
        return sum(r[0] for r in results), sum(r[1] for r in results), quota.used
    finally:
        SehatiClaim.objects.filter(quota=quota).delete()
        Application.objects.filter(pk__in=[a.pk for a in cases]).delete()
        SehatiQuota.objects.filter(pk=quota.pk).delete()


def run(ctx: Context) -> list[Row]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return [Row(what=WHAT, budget=BUDGET, note="skipped: needs PostgreSQL")]
    granted, refused, used = claims_run()
    ok = granted == PLACES and used == PLACES and granted + refused == CLAIMS
    return [
        Row(
            what=WHAT,
            budget=BUDGET,
            result=Row.verdict(ok),
            note=f"{granted} granted, {refused} refused, used={used} ({THREADS} threads)",
        )
    ]
