"""Idempotent demo data: users per role, then each app's own demo data (apps in dependency order)."""

import importlib
import importlib.util
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from halalmsi.demo import DEMO_PASSWORD, DEMO_USERS, load_users

# Ground floor first: certification and training read the businesses that applicants' demo creates.
APP_DEMOS = ["fees", "applicants", "training", "certification"]


class Command(BaseCommand):
    help = "Load demo data (safe to run again: existing rows are kept, nothing is duplicated)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            users = load_users()
            for app in APP_DEMOS:
                module_name = f"{app}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                summary = importlib.import_module(module_name).load(users=users)
                self.stdout.write(f"{app}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.email:<22} {', '.join(spec.roles)}")
