"""Idempotent demo data: users per role, then each installed app's own `demo.load(users=...)`.

Apps are visited in INSTALLED_APPS order, which runs from the ground floor up: certification and training read the
businesses that applicants' demo creates. The demo publishes known passwords, so it refuses to run with DEBUG off
unless `--force` says this is a throwaway server.
"""

import importlib
import importlib.util
import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from core.demo import DEMO_PASSWORD, DEMO_USERS, load_users


def app_demo_modules() -> list[str]:
    """The `<app>.demo` modules of the installed project apps, in INSTALLED_APPS order."""
    names = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.path.startswith(str(settings.BASE_DIR)) and importlib.util.find_spec(module_name) is not None:
            names.append(module_name)
    return names


class Command(BaseCommand):
    help = "Load demo data (safe to run again: existing rows are kept, nothing is duplicated)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="load the demo even with DEBUG off (a throwaway server only)"
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="migrate and compile the translations first, in this process (make run: one start-up, not three)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo creates accounts with a published password "
                "(admin@demo.test / halal-demo). Use --force only on a throwaway server."
            )
        if options["migrate"]:
            # The catalogues first: a message translated during the load must find them.
            call_command("compiletranslations", verbosity=options["verbosity"])
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
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
            for module_name in app_demo_modules():
                if module_name == "core.demo":
                    continue  # the users above
                summary = importlib.import_module(module_name).load(users=users)
                self.stdout.write(f"{module_name.removesuffix('.demo')}: {summary}")
