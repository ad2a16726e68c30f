"""The single attendance checkbox becomes one row per session day: a participant marked present (or absent) is
recorded present (or absent) on every day of the program, so the coverage counts read the same as before."""

from datetime import timedelta

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    Enrollment = apps.get_model("training", "Enrollment")
    SessionAttendance = apps.get_model("training", "SessionAttendance")
    recorded = (
        Enrollment.objects.filter(attended__isnull=False)
        .values_list("pk", "attended", "attendance_recorded_by_id", "program__start_date", "program__end_date")
        .order_by("pk")
    )
    batch = []
    for pk, attended, recorded_by, start, end in recorded.iterator(chunk_size=BATCH):
        for offset in range((end - start).days + 1):
            batch.append(
                SessionAttendance(
                    enrollment_id=pk, day=start + timedelta(days=offset), present=attended, recorded_by_id=recorded_by
                )
            )
        if len(batch) >= BATCH:
            SessionAttendance.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SessionAttendance.objects.bulk_create(batch, ignore_conflicts=True)


def backwards(apps, schema_editor):
    # Enrollment.attended was kept as the summary all along: nothing to restore.
    apps.get_model("training", "SessionAttendance").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0005_attendance_per_session_day")]

    operations = [migrations.RunPython(forwards, backwards)]
