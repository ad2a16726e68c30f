"""Cache generations: a name per kind of data ("cases", "certificates", "training", "figures"), whose value changes
whenever that data changes. A cached result keyed by the generations it was computed from is never served after a
change: a new generation means a new key, and the old entries simply expire. Bumping costs one cache write.

The bump happens now and again when the transaction commits: a reader between the two computes from the old rows
under the new generation, and the commit's bump moves readers past that entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

PREFIX = "generation"


def current(names: Iterable[str]) -> str:
    """The generations of `names`, joined: part of a cache key."""
    keys = [f"{PREFIX}:{name}" for name in names]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex[:12] for key in keys if key not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, None)
        found.update(cache.get_many(list(missing)))
    return ".".join(str(found.get(key, "")) for key in keys)


def _bump(names: tuple[str, ...]) -> None:
    cache.set_many({f"{PREFIX}:{name}": uuid.uuid4().hex[:12] for name in names}, None)


def bump(*names: str) -> None:
    """Mark `names` as changed, now and once more on commit."""
    _bump(names)
    transaction.on_commit(lambda: _bump(names))
