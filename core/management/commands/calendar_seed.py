"""Seed years of the office calendar from the `holidays` package now (otherwise a year is seeded when first needed).

    manage.py calendar_seed --year 2027
    manage.py calendar_seed --from 2025 --to 2030
    manage.py calendar_seed --year 2028 --add-missing   # after a package upgrade: add the days it now knows

A seeded year is frozen: running the command again prints the year as it is and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.calendar import days as cal
from core.calendar.services import calendar_year_add_missing, calendar_year_seed
from core.errors import DomainError


class Command(BaseCommand):
    help = "Seed the office calendar's holidays and cuti bersama for one year or a range of years (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="one year, e.g. 2027")
        parser.add_argument("--from", dest="first", type=int, help="first year of a range")
        parser.add_argument("--to", dest="last", type=int, help="last year of a range (inclusive)")
        parser.add_argument(
            "--add-missing",
            action="store_true",
            help="for years already seeded, add the days the installed package knows and the calendar never had "
            "(additions only; removed days stay removed)",
        )

    def years(self, options: dict[str, Any]) -> range:
        year, first, last = options.get("year"), options.get("first"), options.get("last")
        if year is not None and (first is not None or last is not None):
            raise CommandError("Give either --year or --from/--to, not both.")
        if year is not None:
            first = last = year
        if first is None and last is None:
            today = cal.today()
            first, last = today.year, today.year + 1
        if first is None or last is None:
            raise CommandError("A range needs both --from and --to.")
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        for value in (first, last):
            if not cal.FIRST_YEAR <= value <= cal.LAST_YEAR:
                raise CommandError(f"Years run from {cal.FIRST_YEAR} to {cal.LAST_YEAR}; {value} is outside them.")
        return range(first, last + 1)

    def handle(self, *args: Any, **options: Any) -> None:
        for year in self.years(options):
            try:
                self.seed(year, add_missing=options["add_missing"])
            except DomainError as error:
                raise CommandError(str(error)) from error

    def seed(self, year: int, *, add_missing: bool) -> None:
        result = calendar_year_seed(year=year)
        counts = result.counts
        summary = (
            f"{counts['national_holiday']} national holiday(s), {counts['cuti_bersama']} cuti bersama, "
            f"{counts['office_closure']} office closure(s)"
        )
        if result.seeded:
            self.stdout.write(f"{year}: seeded from {result.source}: {summary}.")
        else:
            when = timezone.localdate(result.seeded_at).isoformat()
            self.stdout.write(f"{year}: already seeded on {when} from {result.source} (frozen): {summary}.")
        if add_missing and not result.seeded:
            added = calendar_year_add_missing(year=year)
            for row in added:
                self.stdout.write(f"{year}: added {row.date.isoformat()} {row.name} ({row.kind}, {row.source}).")
            if not added:
                self.stdout.write(f"{year}: nothing to add; the calendar has every day the package knows.")
        if counts["cuti_bersama"] == 0 and not add_missing:
            self.stdout.write(
                f"{year}: the package lists no cuti bersama for {year} (the SKB may not be decreed yet). Add them in "
                "the admin when it is, or upgrade the package and run this command with --add-missing."
            )
