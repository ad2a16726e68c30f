"""Benchmark data at national scale: `manage.py seed_bulk --businesses N --applications M --programs P --enrollments E`.

Writes with PostgreSQL COPY (bulk_create elsewhere), one transaction per app. Not idempotent: each run adds rows.
"""

from __future__ import annotations

import random
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from bench.bulk import applicants, certification, evidence, training


class Command(BaseCommand):
    help = "Add synthetic benchmark data (owners, businesses, figures, products, programs, enrollments, applications)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--businesses", type=int, default=0, help="new owners, each with one business")
        parser.add_argument("--applications", type=int, default=0, help="applications over all businesses")
        parser.add_argument("--programs", type=int, default=0, help="training programs")
        parser.add_argument("--enrollments", type=int, default=0, help="enrollments spread over the new programs")
        parser.add_argument(
            "--top-up",
            action="store_true",
            help="write this round's tables (permits, listings, evidence snapshots, verification records, bills) for "
            "the rows that lack them, without adding applications (they are written after new applications anyway)",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed writes the same data")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="reference date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("businesses", "applications", "programs", "enrollments"):
            if options[name] < 0:
                raise CommandError(f"--{name} must not be negative.")
        if options["enrollments"] and not options["programs"]:
            raise CommandError("--enrollments needs --programs.")
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data, not secrets
        today = options["today"] or date.today()
        started = time.monotonic()
        with transaction.atomic():
            seed = applicants.businesses_write(count=options["businesses"], rng=rng, today=today)
        self._say(f"businesses: {len(seed.business_ids)}", started)
        if not seed.business_ids and (options["enrollments"] or options["applications"]):
            seed = applicants.existing()
        if options["programs"]:
            with transaction.atomic():
                counts = training.programs_write(
                    programs=options["programs"],
                    enrollments=options["enrollments"],
                    business_ids=seed.business_ids,
                    rng=rng,
                    today=today,
                )
            self._say(", ".join(f"{key}: {value}" for key, value in counts.items()), started)
        if options["applications"]:
            with transaction.atomic():
                counts = certification.applications_write(
                    count=options["applications"], applicants=seed, rng=rng, today=today
                )
            self._say(", ".join(f"{key}: {value}" for key, value in counts.items()), started)
        if (options["applications"] or options["top_up"]) and connection.vendor != "postgresql":
            # This round's tables are derived from the applications in set-based SQL (intervals, to_char, jsonb)
            # that only PostgreSQL speaks; the benchmark runs on PostgreSQL, SQLite is for `make test` only.
            self._say(
                "this round's tables (permits, listings, snapshots, verifications, bills): PostgreSQL only, skipped",
                started,
            )
        elif options["applications"] or options["top_up"]:
            counts = evidence.round_tables_write(today=today)
            self._say(", ".join(f"{key}: {value}" for key, value in counts.items()), started)
        written = options["top_up"] or any(
            options[name] for name in ("businesses", "applications", "programs", "enrollments")
        )
        if written and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # After a bulk load (PostgreSQL's "Populating a Database"): set the visibility map and hint bits now, so
            # the first readers do not pay for them and autovacuum does not compete with them.
            loaded = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            self._say(f"vacuum (analyze) in {time.monotonic() - loaded:.1f} s", started)
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bulk done in {time.monotonic() - started:.1f} s "
                f"({time.process_time():.1f} s of this process's CPU; the rest is PostgreSQL and waiting)"
            )
        )

    def _say(self, text: str, started: float) -> None:
        self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {text}")
