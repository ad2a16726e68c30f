"""The record is evidence (issue 29).

- EvidenceSnapshot: what each submission rests on, frozen; the application and the certificate (and each revision)
  point at the snapshot they rest on. On PostgreSQL a trigger refuses UPDATE and DELETE of snapshots.
- Hash chains: each application and certificate carries its chain's head (the hash of its newest event), so removing
  the newest event is found; events carry the evidence hash, certificate events the status they leave (both sealed
  when present, so rows sealed before them still verify). Heads of existing chains are taken from their newest rows.
- The assistant's checklist lines are named by keys drawn from the evidence (an ingredient by its product and name,
  a step by its product and order), no longer by foreign keys to the live dossier (editing a product rewrote its
  ingredients and deleted their verdicts); existing verdicts keep their lines.
"""

import hashlib
from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def verification_keys(apps: Any, schema_editor: Any) -> None:
    Item = apps.get_model("certification", "VerificationItem")
    if not any(field.name == "ingredient" for field in Item._meta.get_fields()):
        return  # run again on today's models (the test suite re-seeds reference data): nothing to convert
    for item in Item.objects.select_related("ingredient", "step").iterator(chunk_size=2000):
        if item.ingredient_id is not None:
            name = " ".join(item.ingredient.name.lower().split())
            digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:10]
            key = f"i-{item.ingredient.product_id}-{digest}"
        else:
            key = f"s-{item.step.product_id}-{item.step.order}"
        Item.objects.filter(pk=item.pk).update(key=key)


def chain_heads(apps: Any, schema_editor: Any) -> None:
    """Each chain's head from its newest row, in one UPDATE per table."""
    for parent, events, column in (
        ("certification_application", "certification_applicationevent", "application_id"),
        ("certification_certificate", "certification_certificateevent", "certificate_id"),
    ):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {parent} SET chain_head = COALESCE((SELECT e.hash FROM {events} AS e "
                f"WHERE e.{column} = {parent}.id ORDER BY e.id DESC LIMIT 1), '')"
            )


GUARD = """
DROP TRIGGER IF EXISTS certification_snapshot_immutable ON certification_evidencesnapshot;
CREATE OR REPLACE FUNCTION certification_snapshot_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'An evidence snapshot is never changed or deleted (certification_evidencesnapshot)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER certification_snapshot_immutable BEFORE UPDATE OR DELETE ON certification_evidencesnapshot
    FOR EACH ROW EXECUTE FUNCTION certification_snapshot_immutable();
"""
GUARD_OFF = """
DROP TRIGGER IF EXISTS certification_snapshot_immutable ON certification_evidencesnapshot;
DROP FUNCTION IF EXISTS certification_snapshot_immutable();
"""


def snapshot_guard(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(GUARD)


def snapshot_guard_off(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(GUARD_OFF)


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0015_evidence_and_classification"),
        ("certification", "0018_application_created_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EvidenceSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("submission", "Submission"),
                            ("resubmission", "Resubmission after a return"),
                            ("development", "Product development"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("taken_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="taken at")),
                ("content", models.JSONField(verbose_name="content")),
                ("content_hash", models.CharField(max_length=64, verbose_name="SHA-256 of the content")),
                (
                    "changes",
                    models.JSONField(blank=True, default=list, verbose_name="changes since the previous snapshot"),
                ),
            ],
            options={
                "verbose_name": "evidence snapshot",
                "verbose_name_plural": "evidence snapshots",
                "ordering": ["application", "number"],
            },
        ),
        migrations.AddField(
            model_name="application",
            name="chain_head",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=64,
                verbose_name="hash of the newest row of its log",
            ),
        ),
        migrations.AddField(
            model_name="applicationevent",
            name="snapshot_hash",
            field=models.CharField(blank=True, db_default="", default="", max_length=64, verbose_name="evidence hash"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="chain_head",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=64,
                verbose_name="hash of the newest row of its log",
            ),
        ),
        migrations.AddField(
            model_name="certificateevent",
            name="snapshot_hash",
            field=models.CharField(blank=True, db_default="", default="", max_length=64, verbose_name="evidence hash"),
        ),
        migrations.AddField(
            model_name="certificateevent",
            name="status",
            field=models.CharField(blank=True, db_default="", default="", max_length=12, verbose_name="status"),
        ),
        migrations.AddField(
            model_name="verificationitem",
            name="digest",
            field=models.CharField(blank=True, max_length=16, verbose_name="line content when judged"),
        ),
        migrations.AddField(
            model_name="verificationitem",
            name="evidence",
            field=models.CharField(
                blank=True,
                choices=[
                    ("platform", "The platform's check (positive list or halal certificate)"),
                    ("certificate_seen", "Valid halal certificate seen on site"),
                    ("exempt_confirmed", "Confirmed on site as a material that needs no certificate"),
                    ("seen_on_site", "Seen on site"),
                ],
                max_length=20,
                verbose_name="resolved by",
            ),
        ),
        migrations.AddField(
            model_name="verificationitem",
            name="key",
            field=models.CharField(default="", max_length=40, verbose_name="line"),
            preserve_default=False,
        ),
        migrations.RunPython(verification_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="verificationitem",
            name="verval_item_one_per_ingredient",
        ),
        migrations.RemoveConstraint(
            model_name="verificationitem",
            name="verval_item_one_per_step",
        ),
        migrations.RemoveConstraint(
            model_name="verificationitem",
            name="verval_item_ingredient_or_step",
        ),
        migrations.RemoveField(
            model_name="verificationitem",
            name="ingredient",
        ),
        migrations.RemoveField(
            model_name="verificationitem",
            name="step",
        ),
        migrations.AddConstraint(
            model_name="verificationitem",
            constraint=models.UniqueConstraint(fields=("verification", "key"), name="verval_item_one_per_line"),
        ),
        migrations.AddField(
            model_name="evidencesnapshot",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="snapshots",
                to="certification.application",
                verbose_name="application",
            ),
        ),
        migrations.AddField(
            model_name="evidencesnapshot",
            name="documents",
            field=models.ManyToManyField(
                blank=True, related_name="evidence_snapshots", to="applicants.document", verbose_name="documents"
            ),
        ),
        migrations.AddField(
            model_name="evidencesnapshot",
            name="previous",
            field=models.ForeignKey(
                blank=True,
                help_text="The snapshot the changes are counted from (for a product development: the certificate's).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="certification.evidencesnapshot",
                verbose_name="previous snapshot",
            ),
        ),
        migrations.AddField(
            model_name="evidencesnapshot",
            name="taken_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="evidence",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="certification.evidencesnapshot",
                verbose_name="evidence",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="evidence",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="certification.evidencesnapshot",
                verbose_name="evidence",
            ),
        ),
        migrations.AddField(
            model_name="certificaterevision",
            name="evidence",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="certification.evidencesnapshot",
                verbose_name="evidence",
            ),
        ),
        migrations.AddConstraint(
            model_name="evidencesnapshot",
            constraint=models.UniqueConstraint(fields=("application", "number"), name="snapshot_number_once"),
        ),
        migrations.RunPython(chain_heads, migrations.RunPython.noop),
        migrations.RunPython(snapshot_guard, snapshot_guard_off),
    ]
