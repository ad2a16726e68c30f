"""Sehati quota under 500 concurrent claims for 100 places: exactly 100 granted (PostgreSQL, threads).

500 claims (one per application: a case holds one place, ever) start together from THREADS threads (a database
connection each; PostgreSQL here allows a few hundred connections in all, shared with other users), each claim in its
own transaction as the verify transition does. The applications and claims are deleted afterwards.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from bench.report import Row
from bench.support import Context

WHAT = "Sehati quota: 500 concurrent claims, 100 places"
BUDGET = "exactly 100 granted"
CLAIMS, PLACES, THREADS = 500, 100, 50
YEAR = 2099  # a year no real quota uses; its row is deleted afterwards


def claim_concurrently(cases: list[Any], *, threads: int, day: date) -> tuple[int, int]:
    """Claim a place for every case from `threads` threads started together (a connection each), each claim in its
    own transaction as the verify transition does: (granted, refused)."""
    from django.db import connection, transaction

    from certification.workflow.quota import quota_claim as claim
    from core.errors import DomainError

    barrier = threading.Barrier(threads)

    def worker(batch: list[Any]) -> tuple[int, int]:
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

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(worker, [cases[i::threads] for i in range(threads)]))
    return sum(r[0] for r in results), sum(r[1] for r in results)


def claims_run(claims: int = CLAIMS, places: int = PLACES, threads: int = THREADS) -> tuple[int, int, int]:
    """(granted, refused, `used` on the row afterwards)."""

    from applicants.models import Business
    from certification.models import Application, SehatiClaim, SehatiQuota

    business = Business.objects.select_related("region").order_by("pk").first()
    assert business is not None, "the quota benchmark needs one business"
    SehatiQuota.objects.filter(year=YEAR).delete()
    quota = SehatiQuota.objects.create(year=YEAR, region=None, places=places)
    cases = Application.objects.bulk_create(
        Application(business=business, pathway="self_declare", created_by=business.owner) for _ in range(claims)
    )
    try:
        granted, refused = claim_concurrently(cases, threads=threads, day=date(YEAR, 1, 5))
        quota.refresh_from_db()
        return granted, refused, quota.used
    finally:
        SehatiClaim.objects.filter(quota=quota).delete()
        Application.objects.filter(pk__in=[a.pk for a in cases]).delete()
        SehatiQuota.objects.filter(pk=quota.pk).delete()


POOLS_WHAT = "Sehati quota: 2,000 concurrent claims, 4 regional pools and the national pool after cut-over"
POOLS_BUDGET = "exactly the places there are"
REGIONS, REGIONAL_PLACES, NATIONAL_PLACES, POOL_CLAIMS = 5, 100, 300, 2000


def pools_run(threads: int = THREADS) -> dict[str, object]:
    """2,000 claims from businesses in 5 regencies, 4 of which have a 100-place pool past its cut-over, all sharing a
    300-place national pool: each regional pool must fill exactly, the national pool exactly, nothing more."""

    from applicants.models import Business
    from certification.models import Application, SehatiClaim, SehatiQuota

    businesses = []
    for business in Business.objects.select_related("region", "owner").order_by("pk")[:2000]:
        if all(b.region_id != business.region_id for b in businesses):
            businesses.append(business)
        if len(businesses) == REGIONS:
            break
    assert len(businesses) == REGIONS, "the quota benchmark needs businesses in 5 regencies"
    SehatiQuota.objects.filter(year=YEAR).delete()
    cutover = date(YEAR, 3, 1)
    national = SehatiQuota.objects.create(year=YEAR, region=None, places=NATIONAL_PLACES)
    regional = [
        SehatiQuota.objects.create(year=YEAR, region=b.region, places=REGIONAL_PLACES, cutover=cutover)
        for b in businesses[:-1]  # the fifth regency has no pool of its own: national only
    ]
    cases = Application.objects.bulk_create(
        Application(business=businesses[n % REGIONS], pathway="self_declare", created_by=businesses[n % REGIONS].owner)
        for n in range(POOL_CLAIMS)
    )
    pools = [national, *regional]
    try:
        # After the cut-over: a full region falls back to the national pool.
        granted, refused = claim_concurrently(cases, threads=threads, day=date(YEAR, 6, 1))
        used = {q.pk: q.used for q in SehatiQuota.objects.filter(pk__in=[q.pk for q in pools])}
        claims = {q.pk: SehatiClaim.objects.filter(quota=q, released_at__isnull=True).count() for q in pools}
        return {
            "granted": granted,
            "refused": refused,
            "national": (used[national.pk], claims[national.pk]),
            "regional": [(used[q.pk], claims[q.pk]) for q in regional],
        }
    finally:
        SehatiClaim.objects.filter(quota__in=pools).delete()
        Application.objects.filter(pk__in=[a.pk for a in cases]).delete()
        SehatiQuota.objects.filter(pk__in=[q.pk for q in pools]).delete()


def run(ctx: Context) -> list[Row]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return [Row(what=WHAT, budget=BUDGET, note="skipped: needs PostgreSQL")]
    granted, refused, used = claims_run()
    ok = granted == PLACES and used == PLACES and granted + refused == CLAIMS
    rows = [
        Row(
            what=WHAT,
            budget=BUDGET,
            result=Row.verdict(ok),
            note=f"{granted} granted, {refused} refused, used={used} ({THREADS} threads)",
        )
    ]
    outcome = pools_run()
    places = NATIONAL_PLACES + (REGIONS - 1) * REGIONAL_PLACES
    national_used, national_claims = outcome["national"]  # type: ignore[misc]
    regional = outcome["regional"]
    ok = (
        outcome["granted"] == places
        and outcome["granted"] + outcome["refused"] == POOL_CLAIMS  # type: ignore[operator]
        and national_used == national_claims == NATIONAL_PLACES
        and all(u == c == REGIONAL_PLACES for u, c in regional)  # type: ignore[attr-defined]
    )
    rows.append(
        Row(
            what=POOLS_WHAT,
            budget=POOLS_BUDGET,
            result=Row.verdict(ok),
            note=(
                f"{outcome['granted']} granted of {places} places, {outcome['refused']} refused; national "
                f"used={national_used} (claims {national_claims}); regional used/claims "
                + ", ".join(f"{u}/{c}" for u, c in regional)  # type: ignore[attr-defined]
                + f" ({THREADS} threads)"
            ),
        )
    )
    return rows
