"""A database from before `core` (the user model was `halalmsi.User`) upgrades with a plain `manage.py migrate`.

The test turns a freshly migrated database back into the previous layout (table names, content types, migration
history and the audit index exactly as halalmsi's migrations left them), runs `migrate`, and checks that the same
people, passwords, roles, audit rows and reports come out on the other side.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from core.calendar import days as cal
from core.models import CalendarDay, CalendarYear, StaffAction, User
from core.ops import upgrade
from reports.models import ExportJob, MonthlyReport

pytestmark = pytest.mark.django_db(transaction=True)

PREVIOUS = ["0001_initial", "0002_roles", "0003_staff_action", "0004_monthly_report", "0005_monthly_report_schedule"]


def back_to_the_previous_layout() -> None:
    # core's migrations after the ones that replaced halalmsi's (the dead-letter list, the audit hash chain) did not
    # exist in the previous layout: unapply them first.
    call_command("migrate", "core", upgrade.CORE_MIGRATIONS[-1], verbosity=0)
    quote = connection.ops.quote_name
    with connection.schema_editor() as editor:
        # Tables core gained after the previous release (0003 onward) did not exist then; migrate creates them.
        # Likewise reports' export jobs (reports 0003): the previous release's reports app had only monthly reports.
        for model in (CalendarDay.history.model, CalendarDay, CalendarYear, ExportJob):
            if model._meta.db_table in connection.introspection.table_names():  # unapplying core may have dropped it
                editor.delete_model(model)
        for old, new in [*upgrade.TABLES.items(), ("halalmsi_monthlyreport", "reports_monthlyreport")]:
            editor.execute(f"ALTER TABLE {quote(new)} RENAME TO {quote(old)}")
        for old, (new, _table, columns) in upgrade.INDEXES.items():
            editor.execute(f"DROP INDEX {quote(new)}")
            editor.execute(f"CREATE INDEX {quote(old)} ON {quote('halalmsi_staffaction')} ({columns})")
    ContentType.objects.filter(app_label__in=["core", "reports"]).update(app_label="halalmsi")
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app__in=["core", "reports"]).delete()
    recorder.migration_qs.bulk_create(
        recorder.Migration(app="halalmsi", name=name, applied=timezone.now()) for name in PREVIOUS
    )


def test_a_database_of_the_previous_layout_upgrades_on_migrate(alice: Any, rina: Any) -> None:
    alice.set_password("kata-sandi-lama")
    alice.save()
    StaffAction.objects.create(actor=rina, method="POST", path="/cases/1/", status_code=302)
    MonthlyReport.objects.create(month=dt.date(2026, 10, 1), requested_by=rina)
    back_to_the_previous_layout()
    assert "halalmsi_user" in connection.introspection.table_names()
    assert upgrade.needs_adoption(connection)

    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)

    assert "Upgraded the database from the previous layout" in out.getvalue()
    tables = set(connection.introspection.table_names())
    assert {"core_user", "core_user_groups", "core_staffaction", "reports_monthlyreport"} <= tables
    assert not {t for t in tables if t.startswith("halalmsi_")}
    upgraded = User.objects.get(pk=alice.pk)
    assert upgraded.check_password("kata-sandi-lama")
    assert set(upgraded.groups.values_list("name", flat=True)) == {"owner"}
    assert StaffAction.objects.get().actor == rina
    call_command("verify_chains", "--model", "core.StaffAction", stdout=StringIO())  # sealed by core's migration
    assert StaffAction.objects.get().hash
    assert MonthlyReport.objects.get().requested_by == rina
    assert set(
        ContentType.objects.filter(model__in=["user", "staffaction", "monthlyreport"]).values_list("app_label", "model")
    ) == {("core", "user"), ("core", "staffaction"), ("reports", "monthlyreport")}
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("core", "0002_roles") in applied and ("reports", "0002_monthly_report_schedule") in applied
    assert ("core", "0003_office_calendar") in applied
    assert cal.add_working_days(dt.date(2026, 3, 17), 1) == dt.date(2026, 3, 25)  # the calendar's tables exist
    assert not [key for key in applied if key[0] == "halalmsi"]
    assert not upgrade.needs_adoption(connection)
    call_command("migrate", verbosity=0)  # a second run has nothing to do
    assert Group.objects.filter(name="owner").exists()


def test_a_fresh_or_upgraded_database_is_left_alone() -> None:
    assert not upgrade.needs_adoption(connection)
    assert upgrade.adopt_previous_layout(connection) is False


def test_a_database_that_stopped_half_way_is_refused_with_a_clear_message() -> None:
    back_to_the_previous_layout()
    MigrationRecorder(connection).migration_qs.filter(app="halalmsi", name="0003_staff_action").delete()
    try:
        with pytest.raises(upgrade.UpgradeError, match="migrate it with the previous release first"):
            upgrade.adopt_previous_layout(connection)
        assert "halalmsi_user" in connection.introspection.table_names()  # nothing was changed
    finally:
        MigrationRecorder(connection).record_applied("halalmsi", "0003_staff_action")
        call_command("migrate", verbosity=0)
