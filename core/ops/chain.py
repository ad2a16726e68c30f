"""Tamper evidence: rows that carry the hash of the row before them in their chain.

A model that mixes in `HashChained` names its chain (`chain_by`: the foreign key whose value is one chain, e.g. the
application of a workflow event) and the fields that are sealed (`chain_fields`). Appending a row, in one
transaction: lock the chain's parent row (so two appends to one chain queue up; a partial unique index on
(chain, prev_hash) refuses a fork all the same), read the chain's last hash, insert the row with it as `prev_hash`,
then store `hash` = HMAC-SHA256(AUDIT_CHAIN_KEY, canonical JSON of the model, the row's id, prev_hash and its sealed
fields as the database returns them). The timestamp is sealed too, which is why the hash is written right after the
insert: `auto_now_add` sets it only then.

`verify_chains` (the management command) recomputes every chain and names, per chain, the first row that was
altered (its hash no longer matches its content), removed (the next row's prev_hash does not match the row before
it) or never sealed (written around the model, e.g. by a bulk loader). The key is not in the database: someone who
can only write SQL cannot forge a row and seal it again. A removed *last* row leaves no trace in its chain; the
row counts in backups (`manage.py backup`) are the outside record for that.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

HASH_LENGTH = 64
CHUNK = 2000


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}  # json.dumps sorts the keys
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return str(value)


def row_hash(label: str, pk: Any, prev_hash: str, values: dict[str, Any]) -> str:
    """HMAC-SHA256 over a canonical JSON of the row (sorted keys, UTC microsecond timestamps)."""
    payload = json.dumps(
        {
            "model": label,
            "pk": _canonical(pk),
            "prev": prev_hash,
            "fields": {k: _canonical(v) for k, v in values.items()},
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    key = str(settings.AUDIT_CHAIN_KEY).encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def chain_constraint(chain_by: str, *, name: str) -> models.UniqueConstraint:
    """At most one row follows a given row in a chain (rows written before sealing have an empty prev_hash)."""
    return models.UniqueConstraint(fields=[chain_by, "prev_hash"], condition=~Q(prev_hash=""), name=name)


class HashChained(models.Model):
    """Mixin for append-only logs: see the module's docstring. Subclasses set `chain_by` and `chain_fields`."""

    prev_hash = models.CharField(
        _("hash of the previous row"), max_length=HASH_LENGTH, blank=True, default="", db_default="", editable=False
    )
    hash = models.CharField(
        _("hash of this row"), max_length=HASH_LENGTH, blank=True, default="", db_default="", editable=False
    )

    chain_by: ClassVar[str]
    chain_fields: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            super().save(*args, **kwargs)  # updates of unsealed columns (e.g. notification claims) keep the seal
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            model = type(self)
            parent = model._meta.get_field(self.chain_by).related_model
            if parent is None or isinstance(parent, str):
                raise TypeError(f"{model._meta.label}.{self.chain_by} must be a foreign key to name a chain.")
            # Appends to one chain queue up on its parent row (FOR NO KEY UPDATE: foreign keys to it stay free).
            lock = parent._base_manager.using(using).select_for_update(no_key=True).filter(pk=self.chain_value())
            list(lock.values_list("pk"))
            self.prev_hash = chain_tail(model, self.chain_value(), using=using)
            super().save(*args, **kwargs)
            # Sealed as stored (read back): the timestamp auto_now_add just set, JSON as the database keeps it.
            stored = model._base_manager.using(using).filter(pk=self.pk).values(*self.chain_fields).get()
            self.hash = row_hash(model._meta.label, self.pk, self.prev_hash, stored)
            model._base_manager.using(using).filter(pk=self.pk).update(hash=self.hash)

    def chain_value(self) -> Any:
        return getattr(self, chain_attname(type(self)))

    def compute_hash(self) -> str:
        values = {name: getattr(self, name) for name in self.chain_fields}
        return row_hash(self._meta.label, self.pk, self.prev_hash, values)


def chain_attname(model: Any, chain_by: str | None = None) -> str:
    """The column of the chain's foreign key (`application_id` for `application`)."""
    field = model._meta.get_field(chain_by or model.chain_by)
    if not isinstance(field, models.ForeignKey):
        raise TypeError(f"{model._meta.label}.{field.name} must be a foreign key to name a chain.")
    return str(field.attname)


def chain_tail(model: type[HashChained], chain_value: Any, *, using: str = "default") -> str:
    """The hash of the chain's last row ("" for an empty chain)."""
    last = (
        model._base_manager.using(using)
        .filter(**{model.chain_by: chain_value})
        .order_by("-pk")
        .values_list("hash", flat=True)
        .first()
    )
    return last or ""


@transaction.atomic
def chain_reseal(model: type[HashChained], chain_value: Any) -> int:
    """Seal one chain again from its current content (the demo backdates its timelines with this). Returns rows.

    Only for data that is being made, never for a chain that failed verification: resealing accepts whatever the
    rows now say.
    """
    rows = list(model._base_manager.select_for_update().filter(**{model.chain_by: chain_value}).order_by("pk"))
    previous = ""
    for row in rows:
        row.prev_hash = previous
        row.hash = row.compute_hash()
        previous = row.hash
    model._base_manager.bulk_update(rows, ["prev_hash", "hash"])
    return len(rows)


def seal_existing(model: Any, *, chain_by: str, fields: Iterable[str], label: str) -> int:
    """Seal every chain of rows written before the model was chained (for data migrations: `model` may be a
    historical model, so the chain key and fields are given). Chains are sealed in id order."""
    fields = tuple(fields)
    chain_column = chain_attname(model, chain_by)
    batch: list[Any] = []
    sealed = 0
    previous_chain: Any = object()
    previous_hash = ""
    for row in model._base_manager.order_by(chain_column, "pk").iterator(chunk_size=CHUNK):
        chain = getattr(row, chain_column)
        if chain != previous_chain:
            previous_chain, previous_hash = chain, ""
        row.prev_hash = previous_hash
        row.hash = row_hash(label, row.pk, previous_hash, {name: getattr(row, name) for name in fields})
        previous_hash = row.hash
        batch.append(row)
        if len(batch) >= CHUNK:
            model._base_manager.bulk_update(batch, ["prev_hash", "hash"])
            sealed += len(batch)
            batch = []
    if batch:
        model._base_manager.bulk_update(batch, ["prev_hash", "hash"])
        sealed += len(batch)
    return sealed


# --- Verification --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Break:
    """The first place a chain does not hold."""

    model: str
    chain: Any
    row: Any
    problem: str

    def __str__(self) -> str:
        return f"{self.model} chain {self.chain}: row {self.row} {self.problem}"


def _rows(model: type[HashChained], chain_value: Any = None) -> Iterator[dict[str, Any]]:
    column = chain_attname(model)
    queryset = model._base_manager.all()
    if chain_value is not None:
        queryset = queryset.filter(**{column: chain_value})
    names = {"pk", column, "prev_hash", "hash", *model.chain_fields}
    yield from queryset.order_by(column, "pk").values(*names).iterator(chunk_size=CHUNK)


def verify_model(model: type[HashChained], chain_value: Any = None) -> tuple[int, int, list[Break]]:
    """Check every chain of `model` (or one): (chains, rows, the first break of each broken chain)."""
    column = chain_attname(model)
    label = model._meta.label
    chains = rows = 0
    breaks: list[Break] = []
    current: Any = object()
    previous: tuple[Any, str] = (None, "")
    broken = False
    for row in _rows(model, chain_value):
        rows += 1
        if row[column] != current:
            current, previous, broken = row[column], (None, ""), False
            chains += 1
        if broken:
            continue
        problem = _problem(label, model.chain_fields, row, previous)
        if problem:
            breaks.append(Break(label, current, row["pk"], problem))
            broken = True
        previous = (row["pk"], row["hash"])
    return chains, rows, breaks


def _problem(label: str, fields: tuple[str, ...], row: dict[str, Any], previous: tuple[Any, str]) -> str:
    before_pk, before_hash = previous
    if not row["hash"]:
        return "is not sealed (written around the model, or its hash was erased)"
    if row["prev_hash"] != before_hash:
        if before_pk is None:
            return "does not start its chain: a row before it was removed (or this row's link was changed)"
        return f"does not follow row {before_pk}: a row between them was removed, or row {before_pk} was altered"
    if row_hash(label, row["pk"], row["prev_hash"], {name: row[name] for name in fields}) != row["hash"]:
        return "was altered: its content no longer matches its hash"
    return ""


def chain_intact(model: type[HashChained], chain_value: Any) -> bool:
    """Whether one chain (e.g. one certificate's events) verifies from its first row to its last."""
    return not verify_model(model, chain_value)[2]
