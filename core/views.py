from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date
from typing import Any

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound

from core import calendar as cal
from core import deadletter, roles
from core.access import role_required
from core.errors import DomainError
from core.models import CalendarDay


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


def _month_grid(
    year: int, month: int, days_off: dict[date, cal.Day], labels: dict[str, Any], today: date
) -> dict[str, Any]:
    """One month as weeks of cells (Monday first); days of the neighbouring months are blank cells."""
    weeks = []
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells: list[dict[str, Any] | None] = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            off = days_off.get(day)
            cells.append(
                {
                    "date": day,
                    "off": off,
                    "kind_label": labels[off.kind] if off else "",
                    "weekend": day.weekday() >= 5,
                    "today": day == today,
                }
            )
        weeks.append(cells)
    return {"number": month, "name": MONTHS[month], "weeks": weeks}


def office_calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The office calendar of a year (public): twelve month grids, a legend and the list of days off with names."""
    today = cal.today()
    year = today.year if year is None else year
    try:
        cal.check_year(year)
    except DomainError as error:
        raise Http404(str(error)) from error
    days = cal.days_of(year)
    by_date = {day.date: day for day in days}
    labels = dict(CalendarDay.Kind.choices)
    kinds: dict[str, dict[str, Any]] = {kind: {"label": label, "count": 0} for kind, label in labels.items()}
    for day in days:
        kinds[day.kind]["count"] += 1
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "previous": year - 1 if year > cal.FIRST_YEAR else None,
            "next": year + 1 if year < cal.LAST_YEAR else None,
            "weekdays": [{"abbr": WEEKDAYS_ABBR[i], "name": WEEKDAYS[i]} for i in range(7)],
            "months": [_month_grid(year, month, by_date, labels, today) for month in range(1, 13)],
            "days": [{"day": day, "kind_label": labels[day.kind]} for day in days],
            "kinds": kinds,
            "working_days": cal.working_days_in(year, days),
        },
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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 raised by Django itself (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields, a host outside
    ALLOWED_HOSTS): the API's JSON error shape under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Bad request.")), "errors": {}}, status=400)
    return django_bad_request(request, exception)  # type: ignore[arg-type]


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
