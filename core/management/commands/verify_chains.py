"""Check every hash chain (workflow events, certificate events, staff actions) and name the first broken row of each.

Exit status 0 when all hold; 1 (CommandError) when a row was altered, removed or never sealed.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.ops.chain import HashChained, verify_model


def chained_models() -> list[type[HashChained]]:
    return [model for model in apps.get_models() if issubclass(model, HashChained)]


class Command(BaseCommand):
    help = "Verify the hash chains of the audit logs; names the first altered or removed row of each broken chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--model", help="only this model, as app_label.ModelName (e.g. core.StaffAction)")

    def handle(self, *args: Any, **options: Any) -> None:
        models = chained_models()
        if options["model"]:
            models = [m for m in models if m._meta.label.lower() == options["model"].lower()]
            if not models:
                raise CommandError(f"{options['model']} is not a hash-chained model.")
        broken = 0
        for model in models:
            chains, rows, breaks = verify_model(model)
            verdict = "intact" if not breaks else f"{len(breaks)} broken"
            self.stdout.write(f"{model._meta.label}: {chains} chains, {rows} rows, {verdict}")
            for item in breaks:
                self.stdout.write(self.style.ERROR(f"  {item}"))
            broken += len(breaks)
        if broken:
            raise CommandError(f"{broken} chain(s) broken: see the rows named above.")
        self.stdout.write(self.style.SUCCESS("Every chain is intact."))
