"""`manage.py migrate`, one at a time, which first upgrades a database of the previous layout (core/ops/upgrade.py).

A second run (two deploys at once, a replica of the migrate service) waits for the first under the PostgreSQL
advisory lock `migrate` (core/ops/locks.py), then finds the work done. Two migrates at once used to fail on the same
tables.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from core.ops.locks import AdvisoryLock
from core.ops.upgrade import adopt_previous_layout


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        lock = AdvisoryLock("migrate")
        try:
            if not lock.acquire(wait=False):
                self.stdout.write("Waiting for another migrate to finish (PostgreSQL advisory lock)...")
                lock.acquire(wait=True)
                self.stdout.write("The other migrate finished; going on.")
            if adopt_previous_layout(connections[options["database"]]) and options["verbosity"] >= 1:
                self.stdout.write("Upgraded the database from the previous layout (halalmsi.User -> core.User).")
            super().handle(*args, **options)
        finally:
            lock.release()
