"""A fixed-window rate throttle for public, anonymous endpoints, and the store of their rendered answers.

Budgets served (measured): public verification >= 0.75x a bare Django view and the fee quote >= 0.9x a bare
DRF view, both with the throttle on. DRF's ScopedRateThrottle keeps a sliding log: it stores, and pickles, one
timestamp per request in the window, and costs two cache round trips (get, then set). A counter per client and window
costs one round trip (INCRBY + EXPIRE in one pipeline), and verification reads its cached answer in that same trip.
A client may get up to twice the rate across a window boundary; that is fine for a public calculator or lookup.

A busy client does not cost a round trip per request either: a worker takes its units from Redis in leases (INCRBY
of up to LEASE_MAX, never more than a twentieth of the rate) and grants them locally. Only units inside the limit
are ever leased, so the limit holds across workers; a worker's unused units lapse with the window, so a client
spread over several workers may get a few requests fewer than its rate, never more.

The store talks to Redis through a client it owns (settings.CACHE_URL: the cache's Redis, which is REDIS_URL unless
the cache has its own), under the cache's key prefix; without Redis
(development, SQLite) it falls back to Django's cache.
"""

from __future__ import annotations

import threading
import time
from functools import cache
from typing import Any, cast

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from core.access.net import client_ip

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


class LocalAnswers:
    """Rendered public answers this process read or wrote in the last `seconds` (settings.PUBLIC_ANSWER_LOCAL_SECONDS,
    1 s): a certificate verified by a crowd (a QR code on a shelf, a scanner in a loop) costs no Redis round trip.
    A revocation drops the answer here and in Redis at once; another worker may answer from its copy for up to
    that second. Bounded: at most MAX entries, the lapsed ones dropped first."""

    MAX = 2_000

    def __init__(self) -> None:
        self.entries: dict[str, tuple[float, bytes]] = {}
        self.lock = threading.Lock()

    def get(self, key: str, now: float) -> bytes | None:
        entry = self.entries.get(key)
        return entry[1] if entry is not None and entry[0] > now else None

    def put(self, key: str, value: bytes | None, now: float) -> None:
        seconds = settings.PUBLIC_ANSWER_LOCAL_SECONDS
        if value is None or seconds <= 0:
            return
        with self.lock:
            if len(self.entries) >= self.MAX:
                self.entries = {k: v for k, v in self.entries.items() if v[0] > now}
                if len(self.entries) >= self.MAX:
                    self.entries.clear()
            self.entries[key] = (now + seconds, value)

    def drop(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.entries.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


answers = LocalAnswers()


class SharedStore:
    """Counters and rendered answers (bytes) shared by every web process."""

    def __init__(self, url: str, prefix: str) -> None:
        self.client = redis.Redis.from_url(url) if url else None
        self.prefix = prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def count(self, name: str, units: int, ttl: int, read: str | None) -> tuple[int, bytes | None]:
        """Add `units` to the counter `name` (expiring after `ttl` s) and read the answer `read`, in one round trip:
        (the counter's new total, the answer or None). An answer this process holds fresh is not read again."""
        if read is not None:
            now = time.monotonic()
            local = answers.get(self.key(read), now)
            if local is not None:
                return self._count(name, units, ttl, None)[0], local
            total, value = self._count(name, units, ttl, read)
            answers.put(self.key(read), value, now)
            return total, value
        return self._count(name, units, ttl, None)

    def _count(self, name: str, units: int, ttl: int, read: str | None) -> tuple[int, bytes | None]:
        if self.client is None:
            value: bytes | None = django_cache.get(self.key(read)) if read else None
            if django_cache.add(self.key(name), units, ttl):
                return units, value
            try:
                return django_cache.incr(self.key(name), units), value
            except ValueError:  # expired between add() and incr()
                django_cache.add(self.key(name), units, ttl)
                return units, value
        pipe = self.client.pipeline(transaction=False)
        pipe.incrby(self.key(name), units)
        pipe.expire(self.key(name), ttl)
        if read:
            pipe.get(self.key(read))
        results = pipe.execute()
        return int(results[0]), (results[2] if read else None)

    def get(self, name: str) -> bytes | None:
        now = time.monotonic()
        local = answers.get(self.key(name), now)
        if local is not None:
            return local
        value = self._get(name)
        answers.put(self.key(name), value, now)
        return value

    def _get(self, name: str) -> bytes | None:
        if self.client is None:
            cached: bytes | None = django_cache.get(self.key(name))
            return cached
        return cast(bytes | None, self.client.get(self.key(name)))

    def set(self, name: str, value: bytes, ttl: int) -> None:
        answers.put(self.key(name), value, time.monotonic())
        if self.client is None:
            django_cache.set(self.key(name), value, ttl)
        else:
            self.client.set(self.key(name), value, ex=ttl)

    def delete(self, *names: str) -> None:
        answers.drop(*[self.key(n) for n in names])
        if self.client is None:
            django_cache.delete_many([self.key(n) for n in names])
        elif names:
            self.client.delete(*[self.key(n) for n in names])


@cache
def _store(url: str, prefix: str) -> SharedStore:
    return SharedStore(url, prefix)


def store() -> SharedStore:
    """The process's store for the current settings (tests give each process its own cache key prefix)."""
    prefix = str(settings.CACHES["default"].get("KEY_PREFIX", "")) + ":shared"
    return _store(settings.CACHE_URL, prefix)


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's ScopedRateThrottle keyed on the client as our proxies vouch for it (core.access.net.client_ip): DRF's own
    reading counts proxies and believes a forged X-Forwarded-For from a peer that is not one of ours."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class FixedWindowRateThrottle(ClientScopedRateThrottle):
    """ScopedRateThrottle (same scopes, rates and client keys) with a fixed-window counter instead of a log."""

    def allow_request(self, request: Request, view: Any) -> bool:
        return self.allow_and_read(request, view, None)[0]

    def allow_and_read(self, request: Request, view: Any, answer: str | None) -> tuple[bool, bytes | None]:
        """Count the request and read the stored answer `answer` in the same round trip:
        (allowed, the answer's bytes or None). A cached public answer then costs one round trip, not two."""
        shared = store()
        self.scope = getattr(view, self.scope_attr, None)
        self.rate = self.get_rate() if self.scope else None
        self.key = self.get_cache_key(request, view) if self.rate else None
        if self.key is None:
            return True, (shared.get(answer) if answer else None)
        num_requests, duration = self.parse_rate(self.rate)
        if num_requests is None or duration is None:
            return True, (shared.get(answer) if answer else None)
        self.num_requests, self.duration = num_requests, duration
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        counter = f"{self.key}:{window}"
        if leases.take(counter, self.now):
            return True, (shared.get(answer) if answer else None)
        # Take a lease, and read the answer too. The key names its window, so pushing the expiry is harmless.
        lease = max(1, min(LEASE_MAX, self.num_requests // 20))
        total, value = shared.count(counter, lease, self.duration + 1, answer)
        # The lease holds the units numbered total - lease + 1 .. total; those up to the rate may be granted.
        granted = max(0, min(lease, self.num_requests - (total - lease)))
        if granted == 0:
            return False, value
        leases.keep(counter, self.window_ends_at, granted - 1, self.now)
        return True, value

    def wait(self) -> float:
        return max(0.0, self.window_ends_at - self.now)


class PageRateThrottle(FixedWindowRateThrottle):
    """The same fixed-window counter for a public HTML page, which has no DRF view: the page names its group and its
    rate (django-ratelimit's "300/m" is DRF's format too). A cached page then costs one round trip, counter and page
    together, as the JSON answer does."""

    def __init__(self, *, group: str, rate: str) -> None:
        super().__init__()
        self.page = _PageScope(group)
        self.page_rate = rate

    def get_rate(self) -> str:
        return self.page_rate

    def get_cache_key(self, request: Any, view: Any) -> str:
        """Per client address, signed in or not (as django-ratelimit's "ip" key counted pages before): the
        anonymous visitor's page never loads a user to count a request."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_page(self, request: Any, answer: str | None) -> tuple[bool, bytes | None]:
        return self.allow_and_read(request, self.page, answer)


class _PageScope:
    def __init__(self, group: str) -> None:
        self.throttle_scope = group
