"""Fast synthetic data for the benchmark suite (`manage.py seed_bulk`).

Each app has a writer module here (`applicants`, `training`, `certification`). Rows are generated as tuples of
column values with explicit primary keys (so later writers can reference them without reading them back) and written
by `copy_rows`: PostgreSQL COPY from an in-memory text buffer, or `bulk_create` on other databases (SQLite in tests).
None of this goes through the services: it is benchmark data, not a workflow, and it writes no history rows.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.db import connection, models

COPY_CHUNK_ROWS = 100_000
BATCH_SIZE = 5000


def _text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def next_id(model: type[models.Model]) -> int:
    """The first free primary key (ids are assigned by the writers; sequences are reset afterwards)."""
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows (tuples in the order of `fields`, attribute names such as `owner_id`) into the model's table."""
    opts = model._meta
    if connection.vendor != "postgresql":
        return _bulk_create(model, fields, rows)
    columns = ", ".join(connection.ops.quote_name(opts.get_field(_field_name(model, f)).column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
    written = 0
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2 cursor under Django's wrapper
        for row in rows:
            buffer.write("\t".join(map(_text, row)))
            buffer.write("\n")
            pending += 1
            if pending >= COPY_CHUNK_ROWS:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                written += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            written += pending
    return written


@contextmanager
def bulk_load(*model_list: type[models.Model]) -> Iterator[None]:
    """Load the tables without their secondary indexes and foreign keys, then re-create both (PostgreSQL only).

    PostgreSQL's own advice for populating a database: building an index once over the loaded rows is much faster
    than updating it row by row, and a re-added foreign key checks every row in one join instead of a trigger per
    row (Django's keys are deferred, so those per-row checks also pile up until commit). Primary keys and unique
    constraints stay. Call it inside a transaction: PostgreSQL's DDL is transactional, so an error mid-load leaves
    the tables exactly as they were.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    saved: list[tuple[str, list[tuple[str, str]], list[str]]] = []
    with connection.cursor() as cursor:
        # Run the checks deferred so far now: PostgreSQL refuses to alter a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in model_list:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            keys = cursor.fetchall()
            cursor.execute(
                "SELECT pg_get_indexdef(i.indexrelid), c.relname "
                "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _definition in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for _definition, name in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
            saved.append((table, keys, [definition for definition, _name in indexes]))
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table, keys, index_definitions in saved:
            for definition in index_definitions:
                cursor.execute(definition)
            for name, definition in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _field_name(model: type[models.Model], attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise ValueError(f"{model.__name__} has no column for {attname!r}")


def _bulk_create(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    batch: list[models.Model] = []
    written = 0
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) >= BATCH_SIZE:
            model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            written += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        written += len(batch)
    return written


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After writing explicit ids: move each table's id sequence past the highest id (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_list:
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({pk}), 0) + 1, false) FROM {table}",  # noqa: S608
                [table, pk],
            )


def analyze(*model_list: type[models.Model]) -> None:
    """Refresh planner statistics after a bulk load, as autovacuum would do later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def completed(model: type[models.Model], fields: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """Every other concrete column of the model with its default (or NULL, or ''): COPY needs a value for NOT NULL
    columns, which Django declares without database defaults. Lets a writer name only the columns it varies."""
    extra_fields, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in fields or field.primary_key:  # a key not named is the database's to assign
            continue
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.CharField | models.TextField | models.FileField):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        extra_fields.append(field.attname)
        extra_values.append(value)
    return [*fields, *extra_fields], tuple(extra_values)
