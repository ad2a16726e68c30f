"""Request ids, access logs, request metrics and the internal endpoints (/healthz, /metrics).

A request id comes from the `X-Request-ID` header (when it is a plain token) or is made here; it is returned in the
answer's `X-Request-ID`, put on every log record (RequestIdFilter) and passed to the Celery tasks the request sends
(a message header), whose log records carry it too. A task sent by no request (beat) is known by its task id.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.access.net import address_in, client_ip
from core.ops import metrics
from core.ops.requestid import NO_REQUEST, request_id_var
from core.ops.views import healthz

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
TASK_HEADER = "request_id"
SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
access_log = logging.getLogger("halalmsi.request")


def _view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "<unnamed>"
    return getattr(request, "internal_endpoint", "<unmatched>")


class RequestObservabilityMiddleware:
    """First in MIDDLEWARE: sets the request id, times the request, records it in the metrics and the access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request_id = incoming if SAFE_ID.match(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a 4xx/5xx answer after the last middleware returned, and that line
        # belongs to this request too. The next request on this thread sets its own.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response["X-Request-ID"] = request_id
        view = _view_label(request)
        metrics.observe_request(view, request.method or "", response.status_code, seconds)
        if settings.LOG_REQUESTS and not hasattr(request, "internal_endpoint"):
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "view": view,
                    "duration_ms": round(seconds * 1000, 1),
                    "client_ip": client_ip(request),
                },
            )
        return response


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for the internal networks only (the address the trusted proxies vouch for)."""
    if not address_in(client_ip(request), settings.METRICS_ALLOWED_NETWORKS):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    response = HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


class InternalEndpointsMiddleware:
    """/healthz and /metrics, answered before the host check and the SSL redirect.

    A container healthcheck calls `http://127.0.0.1:8000/healthz` and a scraper `http://web:8000/metrics`: neither
    host is in ALLOWED_HOSTS, and neither speaks TLS. Both answers build no absolute URL, so the Host header does not
    matter to them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == "/healthz":
            request.internal_endpoint = "healthz"  # type: ignore[attr-defined]
            return healthz(request)
        if path == "/metrics":
            request.internal_endpoint = "metrics"  # type: ignore[attr-defined]
            return metrics_view(request)
        return self.get_response(request)


# --- Celery: the request id travels in a message header -------------------------------------------------------------
@before_task_publish.connect
def _send_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(TASK_HEADER, request_id)


_task_tokens: dict[str, Any] = {}


@task_prerun.connect
def _receive_request_id(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """In the worker: the sender's request id, or the task's own id. Eager tasks keep the caller's."""
    if task is None or task_id is None or task.request.is_eager:
        return
    request_id = task.request.get(TASK_HEADER) or f"task-{task_id}"
    _task_tokens[task_id] = request_id_var.set(str(request_id))


@task_postrun.connect
def _forget_request_id(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        request_id_var.reset(token)
