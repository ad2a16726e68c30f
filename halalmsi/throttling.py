"""A fixed-window rate throttle for public, anonymous endpoints (a leaf module: imports no app).

DRF's ScopedRateThrottle keeps a sliding log: it stores, and pickles, one timestamp per request in the window. At a
high configured rate every request copies a list of thousands of floats, and it costs two cache round trips (get,
then set). A counter per client and window costs one round trip (INCR + EXPIRE in one pipeline on Redis). A client
may get up to twice the rate across a window boundary; that is fine for a public calculator or verification page.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

_redis_clients: dict[int, tuple[Any, Any]] = {}


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
        count, value = self._count(f"{self.key}:{window}", cache_key)
        return count <= self.num_requests, value

    def _count(self, key: str, read: str | None) -> tuple[int, Any]:
        client = redis_client(self.cache)
        serializer = getattr(getattr(self.cache, "_cache", None), "_serializer", None)
        if client is not None and serializer is not None:
            # One round trip. The key names its window, so pushing the expiry on each hit is harmless.
            redis_key = self.cache.make_and_validate_key(key)
            pipe = client.pipeline(transaction=False)
            pipe.incr(redis_key)
            pipe.expire(redis_key, self.duration + 1)
            if read:
                pipe.get(self.cache.make_and_validate_key(read))
            results = pipe.execute()
            raw = results[2] if read else None
            return int(results[0]), None if raw is None else serializer.loads(raw)  # as RedisCache.get decodes
        value = self.cache.get(read) if read else None
        try:
            return self.cache.incr(key), value
        except ValueError:  # first request of the window (or the key just expired)
            return (1 if self.cache.add(key, 1, self.duration + 1) else self.cache.incr(key)), value

    def wait(self) -> float:
        return max(0.0, self.window_ends_at - self.now)
