"""PostgreSQL advisory locks held by a connection of their own: exactly one beat, one `migrate` at a time.

A session-level advisory lock lives as long as the connection that took it: a process that dies (SIGKILL, a lost
host) loses its connection and so its lock, and a waiting process takes over. The connection is opened apart from
Django's (which closes and reopens its connections between requests and tasks) and goes straight to PostgreSQL:
behind PgBouncer in transaction mode a session lock would be taken on whatever server connection the pooler lent,
so DATABASE_DIRECT_URL names PostgreSQL itself when DATABASE_URL goes through the pooler (README, "Going past one
machine"). On SQLite (development) there is one process anyway: the lock is always granted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from typing import Any

from django.conf import settings

from core.env import database_from_env


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (PostgreSQL's advisory lock keys are bigint)."""
    return int.from_bytes(hashlib.sha256(f"halalmsi:{name}".encode()).digest()[:8], "big", signed=True)


def _direct_database() -> dict[str, Any]:
    direct = os.environ.get("DATABASE_DIRECT_URL", "").strip()
    if direct:
        return database_from_env({"DATABASE_URL": direct}, "")
    return dict(settings.DATABASES["default"])


class AdvisoryLock:
    def __init__(self, name: str) -> None:
        self.name = name
        self.key = lock_key(name)
        self._connection: Any = None
        self.held = False

    @property
    def postgres(self) -> bool:
        return bool(_direct_database()["ENGINE"].endswith("postgresql"))

    def _connect(self) -> Any:
        import psycopg2  # type: ignore[import-untyped]

        db = _direct_database()
        connection = psycopg2.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            application_name=f"halalmsi-lock-{self.name}",
            # A dead peer is noticed within a minute, so the lock does not outlive its holder's host for long.
            keepalives=1,
            keepalives_idle=20,
            keepalives_interval=10,
            keepalives_count=3,
        )
        connection.autocommit = True
        return connection

    def acquire(self, wait: bool) -> bool:
        """Take the lock; with `wait`, block until it is free. Returns whether it is held."""
        if not self.postgres:
            self.held = True
            return True
        if self._connection is None or self._connection.closed:
            self._connection = self._connect()
        with self._connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s)", [self.key])
                self.held = True
            else:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
                self.held = bool(cursor.fetchone()[0])
        return self.held

    def still_held(self) -> bool:
        """Whether the lock's connection is alive (a lock whose connection dropped is gone)."""
        if not self.held or not self.postgres:
            return self.held
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure of the connection means the lock may be someone else's now
            self.held = False
            self.close()
            return False

    def release(self) -> None:
        if self._connection is not None and not self._connection.closed and self.held:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])
        self.held = False
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail; nothing is left to do
                self._connection.close()
            self._connection = None

    def holder_pids(self) -> list[int]:
        """Backend pids holding this lock now (for logs and tests)."""
        if self._connection is None or self._connection.closed:
            self._connection = self._connect()
        with self._connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = %s",
                [self.key],
            )
            return [row[0] for row in cursor.fetchall()]
