"""Helpers the benchmark cases share: bench users, credentials for wrk, timing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Sizes:
    businesses: int
    applications: int
    programs: int
    enrollments: int


FULL = Sizes(businesses=200_000, applications=1_000_000, programs=200_000, enrollments=2_000_000)
# Four years of national volume (Sehati alone grants 1.35 million certificates a year): five applications per
# business on average, as at 1,000,000. Training does not grow with applications.
NATIONAL = Sizes(businesses=1_000_000, applications=5_000_000, programs=200_000, enrollments=2_000_000)
QUICK = Sizes(businesses=2_000, applications=5_000, programs=200, enrollments=2_000)


@dataclass
class Context:
    quick: bool
    sizes: Sizes
    seconds: int
    out: Path
    base_url: str | None = None
    notes: list[str] = field(default_factory=list)
    # What a case that starts its own server needs (bench/cases/replica_reads.py); replica_url only when given.
    database_url: str = ""
    redis_url: str = ""
    replica_url: str = ""
    port: int = 8765


def bench_user(email: str, role: str) -> Any:
    """A user in `role` for the benchmarks (no usable password: logged in by session or token only)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from core.models import User

    user, created = User.objects.get_or_create(email=email, defaults={"full_name": f"Bench {role}"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def token_header(user: Any) -> dict[str, str]:
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=user, expiry=None)  # the benchmark's own, for its run
    return {"Authorization": f"Token {token}"}


def session_header(user: Any) -> dict[str, str]:
    """A logged-in session stored in the database, as the login view would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def time_calls(function: Callable[[], Any], repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` calls."""
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return durations


def median(values: list[float]) -> float:
    return statistics.median(values)


def clear_own_cache() -> None:
    """Empty this process's cache keys only (its key prefix): a Redis database may be shared with a Celery broker
    or with other test processes, so never flush it whole."""
    import redis
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    location = settings.CACHES["default"]["LOCATION"]
    client = redis.Redis.from_url(location[0] if isinstance(location, list | tuple) else location)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
