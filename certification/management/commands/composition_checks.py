"""Run the yearly composition confirmation now: open this year's checks and send what is due (each step once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from certification.aftercare.services import composition_checks_run
from certification.management.commands.clock_tick import _parse_date


class Command(BaseCommand):
    help = (
        "Ask owners on their certificate's anniversary whether anything changed, remind them, and remind owners of "
        "dated certificates 90, 30 and 7 days before expiry (each step once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD); default: today in Jakarta.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _parse_date(options["today"]) if options.get("today") else None
        result = composition_checks_run(today=today)
        self.stdout.write(
            f"Opened {result.created} yearly confirmation(s); sent {result.sent} message(s); "
            f"{result.expiry_reminders} expiry reminder(s)."
        )
