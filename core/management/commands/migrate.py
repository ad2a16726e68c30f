"""`manage.py migrate`, which first upgrades a database of the previous layout (core/ops/upgrade.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from core.ops.upgrade import adopt_previous_layout


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        if adopt_previous_layout(connections[options["database"]]) and options["verbosity"] >= 1:
            self.stdout.write("Upgraded the database from the previous layout (halalmsi.User -> core.User).")
        super().handle(*args, **options)
