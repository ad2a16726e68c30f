from __future__ import annotations

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound

from core import roles


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    held = roles.roles_of(request.user)
    return render(
        request,
        "core/home.html",
        {"sections": [name for name in roles.ALL_ROLES if name in held]},
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"; the reason goes to the log
        return False


def _broker_ok() -> bool:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": "ok" if _database_ok() else "error"}
    if settings.REDIS_URL:
        checks["broker"] = "ok" if _broker_ok() else "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for a URL no pattern matches: the API's JSON error shape under /api/, the HTML page elsewhere.

    An API client sending `/api/v1/applications/abc/` (the pattern wants a number) must get the same
    `{"detail", "errors"}` answer as for an unknown number, not an HTML page it cannot parse.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail), "errors": {}}, status=404)
    return page_not_found(request, exception)
