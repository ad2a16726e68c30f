"""Follow-up reminder scan at 200,000 programs / 2,000,000 enrollments: <= 3 s, a fixed number of queries.

Runs `training.services.followup_reminders_send(today=...)` in-process for real (e-mail to Django's locmem
outbox), then deletes the ReminderLog rows it claimed so the next run sees the same day again.
"""

from __future__ import annotations

import time
from datetime import date

from bench.report import Row
from bench.support import Context

WHAT = "follow-up reminder scan"
BUDGET = "<= 3 s, fixed queries"
# due, coverage, claim, read back, lacking, leads, bulk_update, sent_at, and the notification service's store,
# deliveries, preferences and unread counts (+ slack); the same at every size.
MAX_QUERIES = 17
RUNS = 3


def scan_once(today: date) -> tuple[float, int, int]:
    """Seconds, queries and reminders of one scan; the claims are removed afterwards."""
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext, override_settings

    from training.models import ReminderLog
    from training.services import followup_reminders_send as scan

    before = ReminderLog.objects.aggregate(top=Max("pk"))["top"] or 0
    locmem = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with locmem, CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sent = scan(today=today)
        elapsed = time.perf_counter() - started
    ReminderLog.objects.filter(pk__gt=before).delete()
    return elapsed, len(queries.captured_queries), sent


def run(ctx: Context) -> list[Row]:
    from training.models import Enrollment, Program

    today = date.today()
    results = [scan_once(today) for _ in range(RUNS)]
    best = min(r[0] for r in results)
    queries = {r[1] for r in results}
    sent = results[0][2]
    programs, enrollments = Program.objects.count(), Enrollment.objects.count()
    ok = best <= 3.0 and len(queries) == 1 and max(queries) <= MAX_QUERIES
    return [
        Row(
            what=f"{WHAT} ({programs:,} programs / {enrollments:,} enrollments)",
            budget=BUDGET,
            p50=best * 1000,
            result=Row.verdict(ok),
            note=f"best of {RUNS}: {best:.2f} s, {max(queries)} queries, {sent} reminders claimed",
        )
    ]
