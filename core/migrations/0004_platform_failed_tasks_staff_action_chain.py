"""The dead-letter list of failed tasks, and the staff audit trail as one hash chain per person (core/ops/chain.py).

Staff actions written before this migration are sealed here, per actor in id order, with the fields as they were
when the chain began.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.ops.chain import seal_existing

STAFF_ACTION_FIELDS = ("actor_id", "method", "path", "view_name", "status_code", "ip_address", "created_at")


def seal(apps, schema_editor):
    seal_existing(
        apps.get_model("core", "StaffAction"), chain_by="actor", fields=STAFF_ACTION_FIELDS, label="core.StaffAction"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_office_calendar'),
    ]

    operations = [
        migrations.CreateModel(
            name='FailedTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task_id', models.CharField(db_index=True, max_length=64, verbose_name='task id')),
                ('task_name', models.CharField(db_index=True, max_length=200, verbose_name='task')),
                ('args', models.JSONField(blank=True, default=list, verbose_name='arguments')),
                ('kwargs', models.JSONField(blank=True, default=dict, verbose_name='keyword arguments')),
                ('exception', models.CharField(max_length=200, verbose_name='error type')),
                ('message', models.TextField(blank=True, verbose_name='error')),
                ('traceback', models.TextField(blank=True, verbose_name='traceback')),
                ('request_id', models.CharField(blank=True, max_length=128, verbose_name='request id')),
                ('retries', models.PositiveSmallIntegerField(default=0, verbose_name='retries before failing')),
                ('failed_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='failed at')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                ('resolution', models.CharField(blank=True, max_length=20, verbose_name='resolution')),
            ],
            options={
                'verbose_name': 'failed task',
                'verbose_name_plural': 'failed tasks',
                'ordering': ['-failed_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='staffaction',
            name='hash',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=64, verbose_name='hash of this row'),
        ),
        migrations.AddField(
            model_name='staffaction',
            name='prev_hash',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=64, verbose_name='hash of the previous row'),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='staffaction',
            index=models.Index(fields=['actor', 'id'], name='staffaction_chain_idx'),
        ),
        migrations.AddConstraint(
            model_name='staffaction',
            constraint=models.UniqueConstraint(condition=models.Q(('prev_hash', ''), _negated=True), fields=('actor', 'prev_hash'), name='staffaction_chain_no_fork'),
        ),
        migrations.AddField(
            model_name='failedtask',
            name='resolved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by'),
        ),
        migrations.AddIndex(
            model_name='failedtask',
            index=models.Index(fields=['resolved_at', '-failed_at'], name='failedtask_open_idx'),
        ),
    ]
