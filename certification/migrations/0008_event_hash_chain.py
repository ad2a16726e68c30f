"""Workflow and certificate events carry the hash of the event before them (core/ops/chain.py).

Events written before this migration are sealed here, per application and per certificate in id order; the sealed
fields are frozen below as they were when the chain began.
"""

from django.conf import settings
from django.db import migrations, models

from core.ops.chain import seal_existing

APPLICATION_EVENT_FIELDS = (
    "application_id",
    "from_state",
    "to_state",
    "action",
    "actor_id",
    "note",
    "created_at",
    "due_on",
    "data",
)
CERTIFICATE_EVENT_FIELDS = ("certificate_id", "action", "actor_id", "note", "created_at")


def seal(apps, schema_editor):
    seal_existing(
        apps.get_model("certification", "ApplicationEvent"),
        chain_by="application",
        fields=APPLICATION_EVENT_FIELDS,
        label="certification.ApplicationEvent",
    )
    seal_existing(
        apps.get_model("certification", "CertificateEvent"),
        chain_by="certificate",
        fields=CERTIFICATE_EVENT_FIELDS,
        label="certification.CertificateEvent",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0007_collective_leave_into_office_calendar"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationevent",
            name="hash",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=64, verbose_name="hash of this row"
            ),
        ),
        migrations.AddField(
            model_name="applicationevent",
            name="prev_hash",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=64,
                verbose_name="hash of the previous row",
            ),
        ),
        migrations.AddField(
            model_name="certificateevent",
            name="hash",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=64, verbose_name="hash of this row"
            ),
        ),
        migrations.AddField(
            model_name="certificateevent",
            name="prev_hash",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=64,
                verbose_name="hash of the previous row",
            ),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="applicationevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("prev_hash", ""), _negated=True),
                fields=("application", "prev_hash"),
                name="appevent_chain_no_fork",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificateevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("prev_hash", ""), _negated=True),
                fields=("certificate", "prev_hash"),
                name="certevent_chain_no_fork",
            ),
        ),
    ]
