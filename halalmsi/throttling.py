"""A fixed-window rate throttle for public, anonymous endpoints (a leaf module: imports no app).

DRF's ScopedRateThrottle keeps a sliding log: it stores, and pickles, one timestamp per request in the window. At a
high configured rate every request copies a list of thousands of floats, and it costs two cache round trips (get,
then set). A counter per client and window costs one round trip (INCR + EXPIRE in one pipeline on Redis). A client
may get up to twice the rate across a window boundary; that is fine for a public calculator or verification page.

A busy client does not cost a round trip per request either: a worker takes its units from Redis in leases (INCRBY
of up to LEASE_MAX, never more than a twentieth of the rate) and grants them locally. Only units inside the limit
are ever leased, so the limit holds across workers; a worker's unused units lapse with the window, so a client
spread over several workers may get a few requests fewer than its rate, never more.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

_redis_clients: dict[int, tuple[Any, Any]] = {}
LEASE_MAX = 10


class Leases:
    """Units this worker took from Redis and may still grant: {window key: (window end, units left)}."""

    def __init__(self) -> None:
        self.left: dict[str, tuple[float, int]] = {}
        self.lock = threading.Lock()

    def take(self, key: str, now: float) -> bool:
        with self.lock:
            ends_at, units = self.left.get(key, (0.0, 0))
            if units <= 0 or ends_at <= now:
                return False
            self.left[key] = (ends_at, units - 1)
            return True

    def clear(self) -> None:
        with self.lock:
            self.left.clear()

    def keep(self, key: str, ends_at: float, units: int, now: float) -> None:
        with self.lock:
            if len(self.left) > 10_000:  # one entry per busy client and window: drop the lapsed ones
                self.left = {k: v for k, v in self.left.items() if v[0] > now}
            if units > 0:
                self.left[key] = (ends_at, units)


leases = Leases()


def redis_client(backend: Any) -> Any:
    """The redis-py client behind Django's RedisCache, kept per backend: Django builds a new client object on every
    cache call, which costs more than the command itself. None for other cache backends (LocMem in development)."""
    if isinstance(backend, ConnectionProxy):  # django.core.cache.cache, DRF's default
        backend = caches[backend._alias]
    if not isinstance(backend, RedisCache):
        return None
    raw = backend._cache
    entry = _redis_clients.get(id(raw))
    if entry is None or entry[0] is not raw:
        entry = (raw, raw.get_client(write=True))
        _redis_clients[id(raw)] = entry
    return entry[1]


class FixedWindowRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle (same scopes, rates and client keys) with a fixed-window counter instead of a log."""

    def allow_request(self, request: Request, view: Any) -> bool:
        return self.allow_and_read(request, view, None)[0]

    def allow_and_read(self, request: Request, view: Any, cache_key: str | None) -> tuple[bool, Any]:
        """Count the request and read `cache_key` from the same cache in the same round trip (Redis):
        (allowed, the cached value or None). A cached public answer then costs one round trip, not two."""
        self.scope = getattr(view, self.scope_attr, None)
        self.rate = self.get_rate() if self.scope else None
        self.key = self.get_cache_key(request, view) if self.rate else None
        if self.key is None:
            return True, (self.cache.get(cache_key) if cache_key else None)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        return self._count(f"{self.key}:{window}", cache_key)

    def _count(self, key: str, read: str | None) -> tuple[bool, Any]:
        client = redis_client(self.cache)
        serializer = getattr(getattr(self.cache, "_cache", None), "_serializer", None)
        if client is None or serializer is None:  # another cache (LocMem in development): a counter per request
            value = self.cache.get(read) if read else None
            try:
                count = self.cache.incr(key)
            except ValueError:  # first request of the window (or the key just expired)
                count = 1 if self.cache.add(key, 1, self.duration + 1) else self.cache.incr(key)
            return count <= self.num_requests, value
        redis_key = self.cache.make_and_validate_key(key)
        if leases.take(redis_key, self.now):
            raw = client.get(self.cache.make_and_validate_key(read)) if read else None
            return True, None if raw is None else serializer.loads(raw)
        # One round trip: take a lease, and read the cached answer too. The key names its window, so pushing the
        # expiry on each lease is harmless.
        lease = max(1, min(LEASE_MAX, self.num_requests // 20))
        pipe = client.pipeline(transaction=False)
        pipe.incrby(redis_key, lease)
        pipe.expire(redis_key, self.duration + 1)
        if read:
            pipe.get(self.cache.make_and_validate_key(read))
        results = pipe.execute()
        raw = results[2] if read else None
        value = None if raw is None else serializer.loads(raw)  # as RedisCache.get decodes
        # The lease holds the units numbered total - lease + 1 .. total; those up to the rate may be granted.
        granted = max(0, min(lease, self.num_requests - (int(results[0]) - lease)))
        if granted == 0:
            return False, value
        leases.keep(redis_key, self.window_ends_at, granted - 1, self.now)
        return True, value

    def wait(self) -> float:
        return max(0.0, self.window_ends_at - self.now)
