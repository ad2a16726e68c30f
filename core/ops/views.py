"""Operations pages: the health check (database and broker) and the administrators' dead-letter list."""

from __future__ import annotations

import redis
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import roles
from core.access.decorators import role_required
from core.ops import deadletter


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


FAILED_TASKS_PAGE = 50


@role_required(roles.ADMIN)
def failed_tasks(request: HttpRequest) -> HttpResponse:
    """The dead-letter list: tasks that failed after their retries, newest first; retry or dismiss each."""
    if request.method == "POST":
        return _failed_task_act(request)
    show_all = request.GET.get("all") == "1"
    rows = list(deadletter.failed_tasks_for(request.user, include_resolved=show_all)[:FAILED_TASKS_PAGE])
    return render(request, "core/failed_tasks.html", {"rows": rows, "show_all": show_all, "limit": FAILED_TASKS_PAGE})


def _failed_task_act(request: HttpRequest) -> HttpResponse:
    pk = request.POST.get("task", "")
    failed = deadletter.failed_tasks_for(request.user, include_resolved=True).filter(pk=int(pk) if pk.isdigit() else 0)
    row = failed.first()
    if row is None:
        raise Http404
    action = request.POST.get("action")
    if action == "retry":
        done = deadletter.failed_task_retry(failed_task=row, actor=request.user)
        message = _("The task was sent again.") if done else _("This task was already handled.")
    elif action == "dismiss":
        done = deadletter.failed_task_dismiss(failed_task=row, actor=request.user)
        message = _("The task was dismissed.") if done else _("This task was already handled.")
    else:
        return HttpResponse(_("Choose retry or dismiss."), status=400, content_type="text/plain; charset=utf-8")
    (messages.success if done else messages.warning)(request, message)
    return redirect("failed-tasks")
