"""The quick suite's in-process parts on PostgreSQL: small seed, fixed query counts, quota claims.

The HTTP rows (gunicorn + wrk) and the browser row run with `python -m bench --quick`, not here.
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from bench.cases import case_queue, reminder_scan, sehati_quota
from bench.seeding.management.commands.seed_bulk import Command as SeedBulk
from training.models import Enrollment, Program, ReminderLog

pytestmark = pytest.mark.postgres


def seed(**options: int) -> None:
    call_command(SeedBulk(), **options, stdout=StringIO())


def scan_queries() -> tuple[int, int]:
    """Queries and reminders of a scan over the whole backlog (logs of earlier scans removed)."""
    ReminderLog.objects.all().delete()
    _seconds, queries, sent = reminder_scan.scan_once(date.today())
    return queries, sent


@pytest.mark.django_db
def test_reminder_scan_runs_the_same_number_of_queries_at_two_sizes() -> None:
    seed(businesses=300, programs=20, enrollments=400, seed=1)
    small_queries, small_sent = scan_queries()
    seed(programs=200, enrollments=4000, seed=2)
    assert Program.objects.count() == 220
    assert Enrollment.objects.count() == 4400
    large_queries, large_sent = scan_queries()
    assert small_sent > 0 and large_sent > small_sent
    assert small_queries == large_queries <= reminder_scan.MAX_QUERIES
    assert ReminderLog.objects.count() == 0  # the benchmark removes what it claimed


@pytest.mark.django_db(transaction=True)
def test_concurrent_quota_claims_grant_exactly_the_places() -> None:
    seed(businesses=5)
    granted, refused, used = sehati_quota.claims_run(claims=120, places=25, threads=12)
    assert (granted, refused, used) == (25, 95, 25)
    from certification.models import SehatiQuota

    assert not SehatiQuota.objects.filter(year=sehati_quota.YEAR).exists()


@pytest.mark.django_db
def test_case_queue_query_count_does_not_depend_on_rows_or_size() -> None:
    seed(businesses=100, applications=300, seed=4)
    user = case_queue.reviewer()
    case_queue.assign_one(user)
    small = {path: case_queue.query_counts(user, path) for _what, path in case_queue.ENDPOINTS}
    seed(applications=3000, seed=5)
    case_queue.assign_one(user)
    large = {path: case_queue.query_counts(user, path) for _what, path in case_queue.ENDPOINTS}
    for path in small:
        many_small, one_small, rows_small = small[path]
        many_large, one_large, rows_large = large[path]
        assert many_small == one_small == many_large == one_large, path
        assert rows_large == 50, path


@pytest.mark.django_db
def test_owner_pages_run_the_same_queries_for_a_typical_case_and_a_larger_one() -> None:
    from bench.cases import owner_pages
    from bench.support import Context

    seed(businesses=200, applications=600, seed=3)
    rows = owner_pages.run(Context(quick=True, sizes=None, seconds=1, out=None))  # type: ignore[arg-type]
    assert [row.result for row in rows] == ["pass", "pass"], [row.note for row in rows]
    assert all("queries:" in row.note for row in rows)


@pytest.mark.django_db
def test_the_submission_case_measures_service_and_api_and_leaves_the_drafts_as_they_were(
    settings: Any, tmp_path: Any
) -> None:
    from pathlib import Path

    from bench.cases import submission
    from bench.support import QUICK, Context
    from certification.models import Application, ApplicationEvent, EvidenceSnapshot

    settings.MEDIA_ROOT = tmp_path
    seed(businesses=60, applications=400, seed=6)
    drafts = submission.drafts(2)
    assert drafts, "the seed has regular drafts with products"
    snapshots, events = EvidenceSnapshot.objects.count(), ApplicationEvent.objects.count()
    rows = submission.run(Context(quick=True, sizes=QUICK, seconds=1, out=Path(tmp_path)))
    assert [row.what for row in rows] == [submission.WHAT_SERVICE, submission.WHAT_API, submission.WHAT_STORAGE]
    assert all(row.p95 and row.p50 and row.p50 <= row.p95 for row in rows[:2])
    assert "KiB" in rows[2].note and "GiB at 5,000,000" in rows[2].note
    # Every submission was rolled back: the drafts are drafts, no snapshot or event was kept.
    assert EvidenceSnapshot.objects.count() == snapshots and ApplicationEvent.objects.count() == events
    assert set(Application.objects.filter(pk__in=[d.pk for d in drafts]).values_list("state", flat=True)) == {"draft"}
    assert not Application.objects.filter(pk__in=[d.pk for d in drafts], evidence__isnull=False).exists()
