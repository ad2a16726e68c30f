"""A material's name is what owners read in the ingredient list: "garam (hasil tambang/pemurnian) — unverified" put
an English word (and a state the `verified` field already holds) inside an Indonesian name. Issue 32, item 12."""

from typing import Any

from django.db import migrations

SUFFIX = " — unverified"


def strip_suffix(apps: Any, schema_editor: Any) -> None:
    PositiveListEntry = apps.get_model("applicants", "PositiveListEntry")
    for entry in PositiveListEntry.objects.filter(name__endswith=SUFFIX):
        name = entry.name.removesuffix(SUFFIX)
        if not PositiveListEntry.objects.filter(name=name).exists():
            PositiveListEntry.objects.filter(pk=entry.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("applicants", "0018_person_owner_acts")]

    operations = [migrations.RunPython(strip_suffix, migrations.RunPython.noop)]
