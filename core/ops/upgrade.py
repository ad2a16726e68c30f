"""Upgrading a database from the layout before `core` existed (README.md, "Upgrading").

Until this release the project package `halalmsi` was itself an app: it held the custom user model
(`halalmsi.User`), the staff audit trail and the monthly report. Now the user model is `core.User`. Django cannot
move `AUTH_USER_MODEL` by itself: every app's migrations depend on the user model's first migration, so `migrate`
refuses a database whose history names `halalmsi` instead of `core` ("InconsistentMigrationHistory") before any
migration could run. `adopt_previous_layout` runs first (core's `migrate` command calls it) and, in one transaction:

- renames the user, group-membership, permission and audit tables from `halalmsi_*` to `core_*` (rows, ids and
  foreign keys stay as they are: PostgreSQL and SQLite follow a renamed table);
- relabels their content types, so permissions and admin history stay attached;
- records core's migrations as applied and forgets halalmsi's (the app no longer exists).

The monthly report's table is adopted by reports' own first migration. On a fresh database, or one already
upgraded, this does nothing.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

PREVIOUS_APP = "halalmsi"
# halalmsi's migrations that core's replace; a database must have reached the last one (the audit trail).
PREVIOUS_MIGRATIONS = ("0001_initial", "0002_roles", "0003_staff_action")
CORE_MIGRATIONS = ("0001_initial", "0002_roles")
TABLES = {
    "halalmsi_user": "core_user",
    "halalmsi_user_groups": "core_user_groups",
    "halalmsi_user_user_permissions": "core_user_user_permissions",
    "halalmsi_staffaction": "core_staffaction",
}
# Index names Django derived from the old table name, and the ones core's migration state expects.
INDEXES = {
    "halalmsi_st_actor_i_35cbea_idx": (
        "core_staffa_actor_i_6017e4_idx",
        "core_staffaction",
        '"actor_id", "created_at" DESC',
    )
}
MODELS = ("user", "staffaction")


class UpgradeError(RuntimeError):
    pass


def needs_adoption(connection: BaseDatabaseWrapper) -> bool:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = set(recorder.migration_qs.filter(app__in=(PREVIOUS_APP, "core")).values_list("app", "name"))
    return (PREVIOUS_APP, "0001_initial") in applied and not any(app == "core" for app, _name in applied)


def adopt_previous_layout(connection: BaseDatabaseWrapper) -> bool:
    """Bring a database of the previous layout to core's; True when it did something."""
    if not needs_adoption(connection):
        return False
    recorder = MigrationRecorder(connection)
    applied = set(recorder.migration_qs.filter(app=PREVIOUS_APP).values_list("name", flat=True))
    missing = [name for name in PREVIOUS_MIGRATIONS if name not in applied]
    if missing:
        raise UpgradeError(
            "This database stopped before halalmsi's migration "
            f"{missing[0]}: migrate it with the previous release first, then upgrade."
        )
    quote = connection.ops.quote_name
    with connection.schema_editor(atomic=True) as editor:
        existing = set(connection.introspection.table_names())
        for old, new in TABLES.items():
            if old in existing:
                editor.execute(f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}")
        for old, (new, table, columns) in INDEXES.items():
            # Portable: SQLite has no ALTER INDEX ... RENAME.
            editor.execute(f"DROP INDEX IF EXISTS {quote(old)}")
            editor.execute(f"CREATE INDEX {quote(new)} ON {quote(table)} ({columns})")
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE django_content_type SET app_label = %s WHERE app_label = %s AND model IN (%s, %s)",
                ["core", PREVIOUS_APP, *MODELS],
            )
        now = timezone.now()
        recorder.migration_qs.bulk_create(
            recorder.Migration(app="core", name=name, applied=now) for name in CORE_MIGRATIONS
        )
        # The app is gone; its later migrations (the monthly report) are redone by reports, which adopts the table.
        recorder.migration_qs.filter(app=PREVIOUS_APP).delete()
    return True
