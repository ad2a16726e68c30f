"""Daily checkpoints of every hash chain's head (issue 29), taken by the worker at 01:30 Asia/Jakarta (Celery beat)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


TASK_NAME = "core: daily checkpoint of the hash chains' heads"
TASK = "core.chain_checkpoint"


def create_schedule(apps: Any, schema_editor: Any) -> None:
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "crontab": crontab, "enabled": True, "description": "daily, 01:30 WIB"},
    )


def remove_schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_notification_region_and_hashed_tokens"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True, verbose_name="day")),
                ("taken_at", models.DateTimeField(auto_now_add=True, verbose_name="taken at")),
                ("summary", models.JSONField(default=dict, verbose_name="summary")),
                (
                    "prev_digest",
                    models.CharField(blank=True, max_length=64, verbose_name="digest of the previous checkpoint"),
                ),
                ("digest", models.CharField(blank=True, max_length=64, verbose_name="digest")),
            ],
            options={
                "verbose_name": "chain checkpoint",
                "verbose_name_plural": "chain checkpoints",
                "ordering": ["day"],
            },
        ),
        migrations.CreateModel(
            name="ChainCheckpointHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model", models.CharField(max_length=100, verbose_name="model")),
                ("chain_id", models.BigIntegerField(verbose_name="chain")),
                ("head", models.CharField(max_length=64, verbose_name="head")),
                (
                    "checkpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="heads",
                        to="core.chaincheckpoint",
                        verbose_name="checkpoint",
                    ),
                ),
            ],
            options={
                "verbose_name": "recorded chain head",
                "verbose_name_plural": "recorded chain heads",
                "indexes": [models.Index(fields=["model", "chain_id", "checkpoint"], name="chainhead_lookup_idx")],
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
