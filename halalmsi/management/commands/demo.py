"""Idempotent demo data: users per role, then each app's own demo data (apps in dependency order)."""

import importlib
import importlib.util
import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from halalmsi.demo import DEMO_PASSWORD, DEMO_USERS, load_users

# Ground floor first: certification and training read the businesses that applicants' demo creates.
APP_DEMOS = ["fees", "applicants", "training", "certification"]


class Command(BaseCommand):
    help = "Load demo data (safe to run again: existing rows are kept, nothing is duplicated)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo drives real workflows that send e-mail and run tasks; keep the terminal for the summary.
        celery_logger = logging.getLogger("celery.app.trace")
        previous_level = celery_logger.level
        celery_logger.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._load()
        finally:
            celery_logger.setLevel(previous_level)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.email:<22} {', '.join(spec.roles)}")

    def _load(self) -> None:
        with transaction.atomic():
            users = load_users()
            for app in APP_DEMOS:
                module_name = f"{app}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                summary = importlib.import_module(module_name).load(users=users)
                self.stdout.write(f"{app}: {summary}")
