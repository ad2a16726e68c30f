"""Check every hash chain (workflow events, certificate events, staff actions), each chained row's head and state,
the daily checkpoints of every head, and what apps register (evidence snapshots against their hashes); name each
break with the row and what changed.

Exit status 0 when all hold; 1 (CommandError) when a row was altered, removed or never sealed.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.ops.checkpoints import LABEL as CHECKPOINTS
from core.ops.checkpoints import chained_models, integrity_problems, verify_everything


class Command(BaseCommand):
    help = (
        "Verify the hash chains of the audit logs, the heads their rows carry, the daily checkpoints and the evidence "
        "snapshots; names each altered or removed row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--model", help="only this model, as app_label.ModelName (e.g. core.StaffAction)")

    def handle(self, *args: Any, **options: Any) -> None:
        models = chained_models()
        if options["model"]:
            models = [m for m in models if m._meta.label.lower() == options["model"].lower()]
            if not models:
                raise CommandError(f"{options['model']} is not a hash-chained model.")
        broken = 0
        for label, chains, rows, breaks in verify_everything(models):
            verdict = "intact" if not breaks else f"{len(breaks)} broken"
            counted = f"{chains} checkpoints, {rows} heads" if label == CHECKPOINTS else f"{chains} chains, {rows} rows"
            self.stdout.write(f"{label}: {counted}, {verdict}")
            for item in breaks:
                self.stdout.write(self.style.ERROR(f"  {item}"))
            broken += len(breaks)
        if not options["model"]:
            problems = integrity_problems()
            self.stdout.write(f"Other checks: {'intact' if not problems else f'{len(problems)} broken'}")
            for problem in problems:
                self.stdout.write(self.style.ERROR(f"  {problem}"))
            broken += len(problems)
        if broken:
            raise CommandError(f"{broken} chain(s) broken: see the rows named above.")
        self.stdout.write(self.style.SUCCESS("Every chain is intact."))
