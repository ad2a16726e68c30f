"""The office's default working days per facilitation stage, and the daily reminder scan in Celery beat."""

from django.db import migrations

TASK_NAME = "training: send facilitation reminders"
TASK = "training.send_facilitation_reminders"
DAYS = {"requested": 10, "documents_complete": 5, "submitted": 40}


def forwards(apps, schema_editor):
    StageDays = apps.get_model("training", "FacilitationStageDays")
    for state, days in DAYS.items():
        StageDays.objects.get_or_create(state=state, defaults={"working_days": days})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "crontab": crontab, "enabled": True, "description": "Daily at 07:30 Asia/Jakarta"},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_bpom_facilitation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
