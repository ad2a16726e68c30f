"""The old collective leave table moves into the office calendar, and the due dates count its days."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.calendar import days as calendar
from core.models import CalendarDay

BEFORE = [("certification", "0006_workflow_v2_data")]
AFTER = [("certification", "0007_collective_leave_into_office_calendar")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_days_of_the_old_table_become_cuti_bersama_of_the_office_calendar_and_the_table_goes() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("certification", "CollectiveLeaveDay")
    old.objects.create(date=date(2031, 6, 6), name="Cuti bersama Iduladha")
    CalendarDay.objects.create(date=date(2031, 6, 9), kind="office_closure", name="Kantor tutup", source="kantor")
    old.objects.create(date=date(2031, 6, 9), name="Cuti bersama (duplikat)")
    try:
        _migrate(AFTER)
        moved = CalendarDay.objects.get(date=date(2031, 6, 6), active=True)
        assert (moved.kind, moved.name) == ("cuti_bersama", "Cuti bersama Iduladha")
        # A date the office already had keeps the office's own entry, once.
        assert list(CalendarDay.objects.filter(date=date(2031, 6, 9)).values_list("kind", flat=True)) == [
            "office_closure"
        ]
        assert "certification_collectiveleaveday" not in connection.introspection.table_names()
        calendar.forget()
        assert not calendar.is_working_day(date(2031, 6, 6))  # a Friday, off because of the moved day
    finally:
        _migrate([("certification", executor.loader.graph.leaf_nodes("certification")[0][1])])
        CalendarDay.objects.filter(date__year=2031).delete()
