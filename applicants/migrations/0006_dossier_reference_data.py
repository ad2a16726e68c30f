"""Seed the KBLI 2020 food and beverage codes and the KMA 1360/2021 positive list from applicants/data/."""

import json
from pathlib import Path
from typing import Any

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def seed(apps: Any, schema_editor: Any) -> None:
    Kbli = apps.get_model("applicants", "Kbli")
    PositiveListEntry = apps.get_model("applicants", "PositiveListEntry")
    kbli = json.loads((DATA / "kbli_2020.json").read_text(encoding="utf-8"))
    for row in kbli["codes"]:
        Kbli.objects.get_or_create(code=row["code"], defaults={"title": row["title"], "source": kbli["source"]})
    positive = json.loads((DATA / "positive_list.json").read_text(encoding="utf-8"))
    for group in positive["groups"]:
        for name in group.get("examples_id", []):
            PositiveListEntry.objects.get_or_create(
                name=name[:200],
                defaults={
                    "group": group["code"],
                    "group_name": group["name_id"][:255],
                    "source": positive["source"][:255],
                    "verified": False,  # confirmed from public summaries, not yet against the annex
                },
            )


class Migration(migrations.Migration):
    dependencies = [("applicants", "0005_dossier")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
