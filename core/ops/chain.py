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
can only write SQL cannot forge a row and seal it again.

The newest row: a chained parent row that has a `chain_head` column (the application, the certificate) carries the
hash of its chain's newest row, written in the same transaction; a parent that names its state (`parent_state`)
must agree with the newest row's. So removing the newest row, or changing the parent's state behind the workflow's
back, is found at once. Someone who removes the newest row *and* rewinds the parent's head to the row before it is
found by the daily checkpoint of every head (`core/ops/checkpoints.py`, kept in its own table and printed in the
monthly report), which also finds a whole chain removed with its parent (a case or a certificate deleted).

Fields added to a chain after rows were sealed (`chain_fields_optional`) are sealed when not empty, so rows sealed
before they existed still verify and a value written into them afterwards is found.
"""

from __future__ import annotations

import datetime
import hashlib
import heapq
import hmac
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
    # Sealed when not empty (fields added after rows were sealed without them).
    chain_fields_optional: ClassVar[tuple[str, ...]] = ()
    # (the parent's field, this model's field): the parent's state must be the newest row's (e.g. an application's
    # `state` and its newest event's `to_state`).
    parent_state: ClassVar[tuple[str, str] | None] = None

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
            stored = model._base_manager.using(using).filter(pk=self.pk).values(*sealed_names(model)).get()
            self.hash = row_hash(model._meta.label, self.pk, self.prev_hash, sealed(model, stored))
            model._base_manager.using(using).filter(pk=self.pk).update(hash=self.hash)
            if has_head(parent):
                # The parent carries the chain's head, in the same transaction (and so does a loaded parent object).
                parent._base_manager.using(using).filter(pk=self.chain_value()).update(chain_head=self.hash)
                cached = self._state.fields_cache.get(self.chain_by)
                if cached is not None:
                    cached.chain_head = self.hash

    def chain_value(self) -> Any:
        return getattr(self, chain_attname(type(self)))

    def compute_hash(self) -> str:
        values = {name: getattr(self, name) for name in sealed_names(type(self))}
        return row_hash(self._meta.label, self.pk, self.prev_hash, sealed(type(self), values))


def sealed_names(model: Any) -> tuple[str, ...]:
    return (*model.chain_fields, *getattr(model, "chain_fields_optional", ()))


def sealed(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The values a row's hash covers: its chain fields, and its optional ones that are not empty."""
    optional = getattr(model, "chain_fields_optional", ())
    return {k: v for k, v in values.items() if k not in optional or v not in ("", None)}


def parent_model(model: Any) -> Any:
    """The model whose rows name the chains (the application of workflow events)."""
    parent = model._meta.get_field(model.chain_by).related_model
    if parent is None or isinstance(parent, str):
        raise TypeError(f"{model._meta.label}.{model.chain_by} must be a foreign key to name a chain.")
    return parent


def has_head(parent: Any) -> bool:
    """Whether the chain's parent model carries its chain's head (a `chain_head` column)."""
    return any(field.name == "chain_head" for field in parent._meta.concrete_fields)


class ChainHeaded(models.Model):
    """Mixin for the parent row of a chain (an application, a certificate): the hash of its chain's newest row,
    written by `HashChained.save` in the same transaction. Never written anywhere else."""

    chain_head = models.CharField(
        _("hash of the newest row of its log"),
        max_length=HASH_LENGTH,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    class Meta:
        abstract = True


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
    parent = parent_model(model)
    if rows and has_head(parent):
        parent._base_manager.filter(pk=chain_value).update(chain_head=previous)
    return len(rows)


def seal_existing(model: Any, *, chain_by: str, fields: Iterable[str], label: str, optional: Iterable[str] = ()) -> int:
    """Seal every chain of rows written before the model was chained (for data migrations: `model` may be a
    historical model, so the chain key and fields are given). Chains are sealed in id order."""
    fields = tuple(fields)
    optional = tuple(optional)
    chain_column = chain_attname(model, chain_by)
    batch: list[Any] = []
    count = 0
    previous_chain: Any = object()
    previous_hash = ""
    for row in model._base_manager.order_by(chain_column, "pk").iterator(chunk_size=CHUNK):
        chain = getattr(row, chain_column)
        if chain != previous_chain:
            previous_chain, previous_hash = chain, ""
        row.prev_hash = previous_hash
        values = {name: getattr(row, name) for name in fields}
        values.update({name: getattr(row, name) for name in optional if getattr(row, name) not in ("", None)})
        row.hash = row_hash(label, row.pk, previous_hash, values)
        previous_hash = row.hash
        batch.append(row)
        if len(batch) >= CHUNK:
            model._base_manager.bulk_update(batch, ["prev_hash", "hash"])
            count += len(batch)
            batch = []
    if batch:
        model._base_manager.bulk_update(batch, ["prev_hash", "hash"])
        count += len(batch)
    return count


# --- Verification --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Break:
    """A place a chain does not hold: the first broken row of a chain, or its parent that disagrees with it."""

    model: str
    chain: Any
    row: Any
    problem: str

    def __str__(self) -> str:
        where = f"row {self.row} " if self.row is not None else ""
        return f"{self.model} chain {self.chain}: {where}{self.problem}"


@dataclass
class ChainSummary:
    """One chain as read: its rows' count, newest row and every hash in it."""

    chain: Any
    rows: int = 0
    last_pk: Any = None
    last_hash: str = ""
    last: dict[str, Any] | None = None
    hashes: set[str] = field(default_factory=set)
    broken: bool = False


# A recorded head of a chain, from the daily checkpoints: (chain, head hash, what recorded it).
Recorded = tuple[Any, str, str]


def _rows(model: type[HashChained], chain_value: Any = None) -> Iterator[dict[str, Any]]:
    column = chain_attname(model)
    queryset = model._base_manager.all()
    if chain_value is not None:
        queryset = queryset.filter(**{column: chain_value})
    state = (model.parent_state[1],) if model.parent_state else ()
    names = {"pk", column, "prev_hash", "hash", *sealed_names(model), *state}
    yield from queryset.order_by(column, "pk").values(*names).iterator(chunk_size=CHUNK)


def _chains(model: type[HashChained], chain_value: Any, breaks: list[Break]) -> Iterator[ChainSummary]:
    """Every chain of the model in chain order, its rows checked one after the other (first break recorded)."""
    column = chain_attname(model)
    label = model._meta.label
    summary: ChainSummary | None = None
    for row in _rows(model, chain_value):
        if summary is None or row[column] != summary.chain:
            if summary is not None:
                yield summary
            summary = ChainSummary(chain=row[column])
        previous = (summary.last_pk, summary.last_hash)
        summary.rows += 1
        if not summary.broken:
            problem = _problem(label, model, row, previous)
            if problem:
                breaks.append(Break(label, summary.chain, row["pk"], problem))
                summary.broken = True
        summary.last_pk, summary.last_hash, summary.last = row["pk"], row["hash"], row
        summary.hashes.add(row["hash"])
    if summary is not None:
        yield summary


def _parents(model: type[HashChained], chain_value: Any) -> Iterator[dict[str, Any]]:
    parent = parent_model(model)
    if not has_head(parent):
        return
    names = ["pk", "chain_head", *([model.parent_state[0]] if model.parent_state else [])]
    queryset = parent._base_manager.all()
    if chain_value is not None:
        queryset = queryset.filter(pk=chain_value)
    yield from queryset.order_by("pk").values(*names).iterator(chunk_size=CHUNK)


def verify_model(
    model: type[HashChained], chain_value: Any = None, recorded: Iterable[Recorded] = ()
) -> tuple[int, int, list[Break]]:
    """Check every chain of `model` (or one): each row against the one before it, the parent's head and state
    against the newest row, and the heads the checkpoints recorded (`recorded`, in chain order) against what is
    left. Returns (chains, rows, breaks)."""
    label = model._meta.label
    breaks: list[Break] = []
    chains = rows = 0
    streams = (
        ((s.chain, 0, s) for s in _chains(model, chain_value, breaks)),
        ((p["pk"], 1, p) for p in _parents(model, chain_value)),
        ((r[0], 2, r) for r in recorded if chain_value is None or r[0] == chain_value),
    )
    merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]))
    for chain, group in itertools.groupby(merged, key=lambda item: item[0]):
        found: dict[int, Any] = {kind: payload for _chain, kind, payload in group}
        summary: ChainSummary | None = found.get(0)
        if summary is not None:
            chains += 1
            rows += summary.rows
        problem = _parent_problem(model, summary, found.get(1)) or _recorded_problem(summary, found.get(2))
        if problem:
            breaks.append(Break(label, chain, None, problem))
    return chains, rows, breaks


def _parent_problem(model: type[HashChained], summary: ChainSummary | None, parent: dict[str, Any] | None) -> str:
    name = str(parent_model(model)._meta.model_name)  # the command speaks English: "application", "certificate"
    if parent is None or (summary is not None and summary.broken):
        return ""  # no head to compare, or the chain's first break says it already
    head = parent["chain_head"]
    if summary is None:
        if head:
            return f"the {name} carries head {head[:12]}… but has no rows left: all of them were removed"
        return ""
    if not head:
        return f"the {name}'s head was erased (its newest row is {summary.last_pk})"
    if head != summary.last_hash:
        if head in summary.hashes:
            return (
                f"the {name}'s head is an older row's, not its newest row {summary.last_pk}'s: rows were added around "
                "the model, or its head was rewound"
            )
        return (
            f"its newest row was removed: the {name}'s head {head[:12]}… matches no row left (the newest left is "
            f"row {summary.last_pk})"
        )
    if model.parent_state is not None and summary.last is not None:
        ours, theirs = model.parent_state
        expected = summary.last.get(theirs)
        if expected and parent.get(ours) != expected:
            return (
                f"the {name}'s {ours} is “{parent.get(ours)}” but its newest row {summary.last_pk} says “{expected}”: "
                f"the {ours} was changed outside the log"
            )
    return ""


def _recorded_problem(summary: ChainSummary | None, recorded: Recorded | None) -> str:
    if recorded is None:
        return ""
    _chain, head, source = recorded
    if summary is None:
        return f"was removed: {source} recorded its head {head[:12]}…, and no row of it is left"
    if head not in summary.hashes:
        return f"lost rows: {source} recorded its head {head[:12]}…, which is no longer in the chain"
    return ""


def _problem(label: str, model: Any, row: dict[str, Any], previous: tuple[Any, str]) -> str:
    before_pk, before_hash = previous
    if not row["hash"]:
        return "is not sealed (written around the model, or its hash was erased)"
    if row["prev_hash"] != before_hash:
        if before_pk is None:
            return "does not start its chain: a row before it was removed (or this row's link was changed)"
        return f"does not follow row {before_pk}: a row between them was removed, or row {before_pk} was altered"
    values = sealed(model, {name: row[name] for name in sealed_names(model)})
    if row_hash(label, row["pk"], row["prev_hash"], values) != row["hash"]:
        return "was altered: its content no longer matches its hash"
    return ""


def chain_intact(model: type[HashChained], chain_value: Any) -> bool:
    """Whether one chain (e.g. one certificate's events) verifies from its first row to its last, with its head."""
    return not verify_model(model, chain_value)[2]
