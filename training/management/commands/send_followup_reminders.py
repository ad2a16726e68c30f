"""Run the follow-up reminder scan now (the same scan as the daily Celery beat task)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from training.reminders import followup_reminders_send, scan_today


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = "Send the training follow-up reminders due today (each program and step at most once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Scan as if today were this date (YYYY-MM-DD); default: today in Jakarta.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _parse_date(options["today"]) if options.get("today") else scan_today()
        sent = followup_reminders_send(today=today)
        self.stdout.write(f"Sent {sent} follow-up reminder(s) for {today.isoformat()}.")
