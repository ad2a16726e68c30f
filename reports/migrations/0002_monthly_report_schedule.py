"""Celery beat: build the previous month's report on the 1st of each month at 06:00 Asia/Jakarta.

`update_or_create` on the name: a database from before the reports app has this schedule under the old task name
(`halalmsi.monthly_report_previous_month`); it is pointed at the task's new name, its timing kept.
"""

from django.db import migrations

TASK_NAME = "dashboard: monthly report of the previous month"
TASK = "reports.monthly_report_previous_month"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="1", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": TASK},
        create_defaults={"task": TASK, "crontab": crontab, "enabled": True, "description": "1st of the month, 06:00 WIB"},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
