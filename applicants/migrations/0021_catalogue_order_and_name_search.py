"""The public catalogue at national size (issue 34, bench/RESULTS.md "Issue 34, part D").

- product_name_idx (name, id): the catalogue's order, so a page walks the products by name and stops after ten
  entries instead of sorting every published entry (400 ms at 1M).
- On PostgreSQL, trigram indexes over UPPER(name) of products and businesses: the name search is an `icontains`,
  which Django writes as `UPPER(name) LIKE UPPER(%s)`. The index serves that expression, and ANALYZE keeps
  statistics for it, so the planner knows how many names match (it guessed 33 rows for 115,000 and sorted them all:
  1.1-1.5 s at 1M). pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
  SQLite (the embedded default) has neither and needs neither.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("product_name_upper_trgm", "applicants_product"),
    ("business_name_upper_trgm", "applicants_business"),
]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Through a cursor, idempotent: the tests re-run data migrations after a flush (tests/conftest.py).
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table in TRIGRAM_INDEXES:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER(name::text) gin_trgm_ops)")
            cursor.execute(f"ANALYZE {table}")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table in TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0020_supervisor_from_people"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["name", "id"], name="product_name_idx"),
        ),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
