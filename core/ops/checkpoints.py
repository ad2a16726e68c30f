"""Daily checkpoints of every hash chain's head, and the whole verification `verify_chains` runs.

A chained parent row carries its chain's head (core/ops/chain.py), so a removed newest row is found at once. What
that cannot find: the newest row removed *and* the parent's head rewound to the row before it, or a whole chain
removed with its parent (a case or a certificate deleted in SQL). The worker therefore records, once a day, the head
of every chain that changed since the day before (the first checkpoint records every chain) in its own table; each
checkpoint is sealed with an HMAC over its heads and the previous checkpoint's digest, and the monthly report prints
the digests (the outside record: removing the newest checkpoints is found against the printed report).

`verify_chains` checks every chain against the newest head recorded for it: the head must still be a row of the
chain, and a chain with a recorded head must still exist. Apps add their own checks (`register_integrity_check`:
certification recomputes every evidence snapshot's hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.models import ChainCheckpoint, ChainCheckpointHead
from core.ops.chain import Break, HashChained, Recorded, chain_attname, verify_model

# Rows inserted by transactions still open when the previous checkpoint was taken have ids just below its horizon:
# each checkpoint looks this many ids back (a head recorded again unchanged is skipped).
OVERLAP = 1000
CHUNK = 1000
LABEL = "core.ChainCheckpoint"

IntegrityCheck = Callable[[], list[str]]
_checks: list[IntegrityCheck] = []


def register_integrity_check(check: IntegrityCheck) -> None:
    """Called at start-up by an app with more to verify (each problem a line for `verify_chains`)."""
    if check not in _checks:
        _checks.append(check)


def integrity_problems() -> list[str]:
    return [problem for check in _checks for problem in check()]


def chained_models() -> list[type[HashChained]]:
    return [model for model in apps.get_models() if issubclass(model, HashChained)]


# --- Taking a checkpoint ---------------------------------------------------------------------------------------------
def _first_per_chain(rows: Iterator[tuple[Any, str]]) -> dict[Any, str]:
    found: dict[Any, str] = {}
    for chain, value in rows:
        found.setdefault(chain, value)
    return found


def _changed_heads(model: type[HashChained], low: int, horizon: int) -> Iterator[tuple[int, str]]:
    """(chain, head as of `horizon`) for every chain with rows above `low`, unless recorded already."""
    label = model._meta.label
    column = chain_attname(model)
    rows = model._base_manager.filter(pk__gt=low, pk__lte=horizon)
    chains = rows.order_by(column).values_list(column, flat=True).distinct()
    batch: list[int] = []
    for chain in chains.iterator(chunk_size=CHUNK):
        batch.append(chain)
        if len(batch) >= CHUNK:
            yield from _heads_of(model, label, column, batch, horizon)
            batch = []
    if batch:
        yield from _heads_of(model, label, column, batch, horizon)


def _heads_of(model: Any, label: str, column: str, chains: list[int], horizon: int) -> Iterator[tuple[int, str]]:
    heads = _first_per_chain(
        model._base_manager.filter(**{f"{column}__in": chains}, pk__lte=horizon)
        .order_by(column, "-pk")
        .values_list(column, "hash")
        .iterator()
    )
    known = _first_per_chain(
        ChainCheckpointHead.objects.filter(model=label, chain_id__in=chains)
        .order_by("chain_id", "-checkpoint_id")
        .values_list("chain_id", "head")
        .iterator()
    )
    for chain in chains:
        head = heads.get(chain, "")
        if head and known.get(chain) != head:
            yield chain, head


def chain_checkpoint_take(*, day: dt.date | None = None) -> ChainCheckpoint:
    """Record the day's heads (once per day: a second run returns the first checkpoint)."""
    day = day or timezone.localdate()
    existing = ChainCheckpoint.objects.filter(day=day).first()
    if existing is not None:
        return existing
    previous = ChainCheckpoint.objects.order_by("-day", "-pk").first()
    before: dict[str, Any] = previous.summary if previous is not None else {}
    try:
        with transaction.atomic():
            checkpoint = ChainCheckpoint.objects.create(day=day, prev_digest=previous.digest if previous else "")
            summary: dict[str, dict[str, int]] = {}
            for model in chained_models():
                label = model._meta.label
                horizon = int(model._base_manager.aggregate(top=Max("pk"))["top"] or 0)
                low = max(0, int(before.get(label, {}).get("horizon", 0)) - OVERLAP)
                rows = [
                    ChainCheckpointHead(checkpoint=checkpoint, model=label, chain_id=chain, head=head)
                    for chain, head in _changed_heads(model, low, horizon)
                ]
                ChainCheckpointHead.objects.bulk_create(rows, batch_size=CHUNK)
                summary[label] = {"horizon": horizon, "recorded": len(rows)}
            checkpoint.summary = summary
            checkpoint.digest = checkpoint_digest(checkpoint)
            checkpoint.save(update_fields=["summary", "digest"])
    except IntegrityError:  # another worker took the day's checkpoint meanwhile
        return ChainCheckpoint.objects.get(day=day)
    return checkpoint


def checkpoint_digest(checkpoint: ChainCheckpoint) -> str:
    """HMAC-SHA256 over the checkpoint's day, summary, previous digest and every head it recorded (streamed)."""
    key = str(settings.AUDIT_CHAIN_KEY).encode()
    mac = hmac.new(key, digestmod=hashlib.sha256)
    header = {"day": checkpoint.day.isoformat(), "summary": checkpoint.summary, "prev": checkpoint.prev_digest}
    mac.update(json.dumps(header, sort_keys=True, separators=(",", ":")).encode())
    heads = checkpoint.heads.order_by("model", "chain_id").values_list("model", "chain_id", "head")
    for label, chain, head in heads.iterator(chunk_size=5000):
        mac.update(f"\n{label}\t{chain}\t{head}".encode())
    return mac.hexdigest()


# --- Verifying -------------------------------------------------------------------------------------------------------
def recorded_heads(label: str) -> Iterator[Recorded]:
    """The newest head the checkpoints recorded for each chain of a model, in chain order."""
    rows = (
        ChainCheckpointHead.objects.filter(model=label)
        .order_by("chain_id", "-checkpoint_id")
        .values_list("chain_id", "head", "checkpoint__day")
    )
    last: Any = None
    for chain, head, day in rows.iterator(chunk_size=5000):
        if chain != last:
            last = chain
            yield chain, head, f"the checkpoint of {day.isoformat()}"


def checkpoint_breaks() -> list[Break]:
    """Each checkpoint against its digest and the one before it (an altered or removed head, a removed day)."""
    breaks: list[Break] = []
    previous = ""
    for checkpoint in ChainCheckpoint.objects.order_by("day", "pk"):
        if checkpoint.prev_digest != previous:
            breaks.append(
                Break(
                    LABEL,
                    checkpoint.day.isoformat(),
                    checkpoint.pk,
                    "does not follow the checkpoint before it: "
                    "a checkpoint between them was removed, or this one's link was changed",
                )
            )
        elif checkpoint_digest(checkpoint) != checkpoint.digest:
            breaks.append(
                Break(
                    LABEL,
                    checkpoint.day.isoformat(),
                    checkpoint.pk,
                    "was altered: its heads or summary no longer match its digest",
                )
            )
        previous = checkpoint.digest
    return breaks


def verify_everything(
    models: list[type[HashChained]] | None = None,
) -> Iterator[tuple[str, int, int, list[Break]]]:
    """(label, chains, rows, breaks) per chained model, each chain also checked against its recorded head; then the
    checkpoints themselves (label core.ChainCheckpoint)."""
    for model in models if models is not None else chained_models():
        label = model._meta.label
        chains, rows, breaks = verify_model(model, recorded=recorded_heads(label))
        yield label, chains, rows, breaks
    checkpoints = ChainCheckpoint.objects.count()
    yield LABEL, checkpoints, ChainCheckpointHead.objects.count(), checkpoint_breaks()
