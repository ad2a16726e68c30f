"""The record is evidence (issue 29): the platform classifies ingredients, documents are kept as evidence.

- Ingredient: the owner's "on the positive list" tick becomes what it always was, an exemption *claim*
  (`exempt_claim`) the assistant confirms on site. A ticked ingredient whose name is exactly an active positive-list
  entry gets that entry (the platform's match); one with a certificate or an entry is no claim. A name that is never
  exempt when processed (gelatin, rum...) loses its positive-list match. The certificate's issuer becomes a code
  (bpjph, mui, foreign; a foreign body's name goes to `certificate_body`), read from what was written.
- Positive list: entries whose names are never exempt are deactivated.
- Document: the file's SHA-256 (filled at upload; older files when a submission first names them), and a replaced
  document is retired (kept with the cases that rest on it), never overwritten.

All data steps are set-based UPDATEs: the benchmark's databases hold tens of millions of ingredients.
"""

import json
import re
from pathlib import Path
from typing import Any

from django.db import migrations, models
from django.db.models import Q

DATA = Path(__file__).resolve().parent.parent / "data" / "positive_list.json"


def _never_exempt(name: str) -> bool:
    terms = json.loads(DATA.read_text(encoding="utf-8"))["never_exempt"]["terms"]
    text = " ".join(name.split())
    return any(re.search(rf"(?<!\w)(?:{t['pattern']})(?!\w)", text, re.IGNORECASE) for t in terms)


def forwards(apps: Any, schema_editor: Any) -> None:
    Ingredient = apps.get_model("applicants", "Ingredient")
    Entry = apps.get_model("applicants", "PositiveListEntry")
    for entry in Entry.objects.filter(active=True):
        if _never_exempt(entry.name):
            Entry.objects.filter(pk=entry.pk).update(active=False)
    # The owner's tick was a claim; where the name is exactly an active entry's, the platform matches it.
    for entry in Entry.objects.filter(active=True):
        Ingredient.objects.filter(exempt_claim=True, positive_list_entry__isnull=True, name__iexact=entry.name).update(
            positive_list_entry=entry
        )
    names = Ingredient.objects.filter(positive_list_entry__isnull=False).values_list("name", flat=True).distinct()
    never = sorted({name for name in names.iterator() if _never_exempt(name)})
    for start in range(0, len(never), 500):
        Ingredient.objects.filter(name__in=never[start : start + 500]).update(positive_list_entry=None)
        Ingredient.objects.filter(name__in=never[start : start + 500]).update(exempt_claim=False)
    Ingredient.objects.filter(Q(positive_list_entry__isnull=False) | ~Q(halal_certificate_number="")).update(
        exempt_claim=False
    )
    # The issuer as a code.
    issued = Ingredient.objects.exclude(halal_certificate_number="")
    issued.filter(certificate_issuer__icontains="bpjph").update(certificate_issuer="bpjph")
    issued.filter(Q(certificate_issuer__icontains="mui") | Q(certificate_issuer__icontains="lppom")).update(
        certificate_issuer="mui"
    )
    issued.filter(certificate_issuer="", halal_certificate_number__regex=r"^ID[0-9]{17}$").update(
        certificate_issuer="bpjph"
    )
    issued.filter(certificate_issuer="", halal_certificate_number__regex=r"^[0-9]{12,20}$").update(
        certificate_issuer="mui"
    )
    foreign = issued.exclude(certificate_issuer__in=["", "bpjph", "mui"])
    foreign.update(certificate_body=models.F("certificate_issuer"))
    foreign.update(certificate_issuer="foreign")
    Ingredient.objects.filter(halal_certificate_number="").exclude(certificate_issuer="").update(certificate_issuer="")


class Migration(migrations.Migration):
    dependencies = [("applicants", "0014_import_jobs")]

    operations = [
        migrations.RenameField("ingredient", "on_positive_list", "exempt_claim"),
        migrations.AlterField(
            model_name="ingredient",
            name="exempt_claim",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "A claim the halal process assistant checks on site; until then the ingredient counts as doubtful."
                ),
                verbose_name="I believe it needs no halal certificate",
            ),
        ),
        migrations.AddField(
            model_name="ingredient",
            name="certificate_body",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="Only for a foreign certificate: the body's name, e.g. JAKIM (Malaysia).",
                max_length=100,
                verbose_name="foreign halal body",
            ),
        ),
        migrations.AlterField(
            model_name="ingredient",
            name="certificate_issuer",
            field=models.CharField(
                blank=True,
                choices=[
                    ("bpjph", "BPJPH"),
                    ("mui", "MUI (before October 2019)"),
                    ("foreign", "A foreign halal body recognised by BPJPH"),
                ],
                db_default="",
                default="",
                max_length=100,
                verbose_name="certificate issued by",
            ),
        ),
        migrations.AlterField(
            model_name="ingredient",
            name="certificate_valid_until",
            field=models.DateField(
                blank=True,
                help_text="Leave empty for a BPJPH certificate without an end date (UU 6/2023 art. 42).",
                null=True,
                verbose_name="certificate valid until",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="sha256",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="SHA-256 of the file"
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="retired_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="replaced at"),
        ),
        migrations.AddField(
            model_name="document",
            name="replaced_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="replaces",
                to="applicants.document",
                verbose_name="replaced by",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["business", "retired_at"], name="document_live_idx"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
