"""`manage.py backup --output DIR`: pg_dump (custom format) + media tar + checksum manifest, sealed with BACKUP_KEY
(core/ops/backup.py); `--generate-key` prints a new key."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.ops.backup import BackupError, backup_create
from core.ops.sealed import generate_key


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into DIR/<time>/ with a manifest of checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="folder that receives the backup's own folder")
        parser.add_argument("--generate-key", action="store_true", help="print a new BACKUP_KEY and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            self.stdout.write(generate_key())
            return
        if not options["output"]:
            raise CommandError("Give --output DIR (or --generate-key for a new BACKUP_KEY).")
        try:
            folder = backup_create(output=Path(options["output"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
