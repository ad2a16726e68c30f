"""`manage.py restore DIR`: restore a backup into an empty database and media folder, then check it
(core/ops/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder (made by `backup`) into the empty database and media folder of these settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="the backup's folder (with manifest.json)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(folder=Path(options["folder"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.tables} tables ({summary.rows} rows) and {summary.files} files; "
                "row counts and checksums match the manifest."
            )
        )
