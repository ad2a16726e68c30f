"""The monthly report. Until this release its table was `halalmsi_monthlyreport` (the project package was an app);
a database from then keeps its rows: the table is renamed instead of created (README.md, "Upgrading")."""

import django.db.models.deletion
import reports.models
from django.conf import settings
from django.db import migrations, models

PREVIOUS_TABLE = "halalmsi_monthlyreport"


def create_or_adopt(apps, schema_editor):
    model = apps.get_model("reports", "MonthlyReport")
    tables = schema_editor.connection.introspection.table_names()
    if model._meta.db_table in tables:
        return  # already there (tests re-run data migrations after a flush)
    if PREVIOUS_TABLE in tables:
        schema_editor.alter_db_table(model, PREVIOUS_TABLE, model._meta.db_table)
        apps.get_model("contenttypes", "ContentType").objects.filter(
            app_label="halalmsi", model="monthlyreport"
        ).update(app_label="reports")
    else:
        schema_editor.create_model(model)


def drop(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("reports", "MonthlyReport"))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applicants", "0003_figures_and_workforce_checks"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MonthlyReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("month", models.DateField(help_text="The first day of the month.", verbose_name="month")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                blank=True, upload_to=reports.models.report_upload_to, verbose_name="file"
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        (
                            "region",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="applicants.region",
                                verbose_name="region",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "monthly report",
                        "verbose_name_plural": "monthly reports",
                        "ordering": ["-month", "-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("month__day", 1)), name="monthlyreport_first_day"
                            )
                        ],
                    },
                )
            ]
        ),
        migrations.RunPython(create_or_adopt, drop),
    ]
