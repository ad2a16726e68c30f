"""The self-declare categories are Indonesian text owners read before they apply: "positive list" was left in
English inside it ("Produk dalam positive list", "termasuk positive list KMA 1360/2021"). Issue 32, item 12."""

from typing import Any

from django.db import migrations

WORDS = (("positive list", "daftar positif"),)


def in_indonesian(apps: Any, schema_editor: Any) -> None:
    SelfDeclareCategory = apps.get_model("certification", "SelfDeclareCategory")
    for category in SelfDeclareCategory.objects.all():
        name, condition = category.name_id, category.condition
        for english, indonesian in WORDS:
            name, condition = name.replace(english, indonesian), condition.replace(english, indonesian)
        if (name, condition) != (category.name_id, category.condition):
            # update(), not save(): the tests re-run data migrations with the real models, whose save() would add a
            # history row (django-simple-history) that no person made
            SelfDeclareCategory.objects.filter(pk=category.pk).update(name_id=name, condition=condition)


class Migration(migrations.Migration):
    dependencies = [("certification", "0023_banding")]

    operations = [migrations.RunPython(in_indonesian, migrations.RunPython.noop)]
