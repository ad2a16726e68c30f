"""`manage.py backup --output DIR`: pg_dump (custom format) + media tar + checksum manifest (core/ops/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into DIR/<time>/ with a manifest of checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="folder that receives the backup's own folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backup_create(output=Path(options["output"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
