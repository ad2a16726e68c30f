"""Reads that may lag go to a streaming replica; everything else, and a person's reads right after they wrote, to the
primary (settings: DATABASE_REPLICA_URL, REPLICA_READ_VIEWS, REPLICA_PIN_SECONDS; README "Going past one machine").

- A request is *lag-tolerant* when its view is listed in settings.REPLICA_READ_VIEWS (public certificate
  verification, the catalogue, the dashboard and its charts, reports and exports) and it is a GET or HEAD; a
  background job says so with `replica_reads()` (export jobs, dashboard figures computed in the background).
- Only then, and only when a `replica` database is configured, do reads go to the replica. Writes always go to the
  primary, and a write marks the rest of the request as pinned to the primary.
- Read-your-writes across requests: a request that wrote (or any POST, PUT, PATCH, DELETE) sets the cookie
  `primary_until` to now + REPLICA_PIN_SECONDS; while it holds, that browser's reads stay on the primary, so a person
  sees at once what they just did even when the replica is a few seconds behind.
- Streamed answers (CSV, XLSX) read while the response is sent, after the view returned: the routing of the request
  is carried into the stream, and the stream runs in one read transaction on the database it reads, so the
  server-side cursor of `.iterator()` stays on one server connection behind PgBouncer in transaction mode (and the
  export is one consistent snapshot).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_lag_ok: ContextVar[bool] = ContextVar("replica_lag_ok", default=False)
_wrote: ContextVar[bool] = ContextVar("replica_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The database the current context reads from."""
    if _lag_ok.get() and not _wrote.get() and replica_configured():
        return REPLICA
    return PRIMARY


@contextmanager
def replica_reads() -> Iterator[str]:
    """Reads inside may come from the replica (a background job whose data may be seconds old)."""
    token = _lag_ok.set(True)
    wrote = _wrote.set(False)
    try:
        yield read_alias()
    finally:
        _wrote.reset(wrote)
        _lag_ok.reset(token)


@contextmanager
def on_primary() -> Iterator[None]:
    """Reads inside come from the primary (a row this job or request has just written)."""
    token = _lag_ok.set(False)
    try:
        yield
    finally:
        _lag_ok.reset(token)


@contextmanager
def read_transaction() -> Iterator[str]:
    """One read transaction on the database read from, when it goes through a transaction-mode pooler
    (DATABASE_TRANSACTION_POOLED): `.iterator()`'s server-side cursor then lives on one server connection."""
    alias = read_alias()
    if settings.DATABASES[alias].get("TRANSACTION_POOLED"):
        with transaction.atomic(using=alias):
            yield alias
    else:
        yield alias


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if read_alias() == REPLICA else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: every row exists in both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db == PRIMARY


def _pinned(request: HttpRequest, now: float) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > now
    except ValueError:
        return False


def _streamed(content: Iterable[bytes], lag_ok: bool) -> Iterator[bytes]:
    token = _lag_ok.set(lag_ok)
    wrote = _wrote.set(False)
    try:
        with read_transaction():
            yield from content
    finally:
        _wrote.reset(wrote)
        _lag_ok.reset(token)


class ReplicaRoutingMiddleware:
    """Marks lag-tolerant requests (by view name) and pins a browser to the primary after it wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lag_token = _lag_ok.set(False)
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            lag_ok, wrote = _lag_ok.get(), _wrote.get()
        finally:
            _wrote.reset(wrote_token)
            _lag_ok.reset(lag_token)
        if wrote or request.method not in SAFE_METHODS:
            until = time.time() + settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{until:.0f}",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=not settings.DEBUG,
            )
        if response.streaming and getattr(response, "file_to_stream", None) is None:
            response.streaming_content = _streamed(response.streaming_content, lag_ok)  # type: ignore[attr-defined]
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        """Last in MIDDLEWARE: the other middleware have looked at the request. A lag-tolerant view behind a
        transaction-mode pooler runs inside one read transaction (its `.iterator()` cursors need one)."""
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if request.method not in ("GET", "HEAD") or name not in settings.REPLICA_READ_VIEWS:
            return None
        if _pinned(request, time.time()):
            return None
        _lag_ok.set(True)
        if settings.DATABASES[read_alias()].get("TRANSACTION_POOLED"):
            with read_transaction():
                response: HttpResponse = view(request, *args, **kwargs)
                return response
        return None
