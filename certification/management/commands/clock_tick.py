"""Run the certification office's daily clock now: Komite Fatwa escalations and owner-window reminders."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.workflow.deadlines import clock_tick


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = "Escalate regular cases past the MUI fatwa limit and send owner-window reminders (each at most once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD); default: today in Jakarta.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _parse_date(options["today"]) if options.get("today") else None
        result = clock_tick(today=today)
        self.stdout.write(
            f"Escalated {result.escalated} case(s) to the Komite Fatwa; sent {result.reminders} reminder(s)."
        )
