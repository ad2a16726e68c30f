"""The old collective leave table moves into the office calendar (core.CalendarDay), then goes.

Every row of `certification.CollectiveLeaveDay` (filled by hand in the admin, if at all) becomes an active
`cuti_bersama` day of the office calendar unless that date already has an active day there; the year's later
seeding from the `holidays` package keeps it (the office's own entry wins). Going back restores the table from
the calendar's cuti bersama days.
"""

from django.db import migrations

SOURCE = "certification.CollectiveLeaveDay (admin table, moved by migration)"


def copy_into_calendar(apps, schema_editor):
    try:
        old = apps.get_model("certification", "CollectiveLeaveDay")
    except LookupError:
        return  # run again on today's models (the tests' reseeding): the table is already gone
    day = apps.get_model("core", "CalendarDay")
    taken = set(day.objects.filter(active=True).values_list("date", flat=True))
    day.objects.bulk_create(
        [
            day(date=row.date, kind="cuti_bersama", name=row.name[:200] or "Cuti bersama", source=SOURCE)
            for row in old.objects.order_by("date")
            if row.date not in taken
        ]
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("certification", "CollectiveLeaveDay")
    day = apps.get_model("core", "CalendarDay")
    rows = day.objects.filter(active=True, kind="cuti_bersama").order_by("date")
    old.objects.bulk_create([old(date=row.date, name=row.name[:120]) for row in rows], ignore_conflicts=True)
    day.objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_workflow_v2_data"),
        ("core", "0003_office_calendar"),
    ]

    operations = [
        migrations.RunPython(copy_into_calendar, copy_back),
        migrations.DeleteModel(name="CollectiveLeaveDay"),
    ]
