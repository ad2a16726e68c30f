from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error
from rest_framework.exceptions import NotFound

from core.access import roles
from core.access.accounts import account_profile_update
from core.errors import DomainError
from core.models import User
from core.ops.requestid import current_request_id


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


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """ "Akun saya": the person's name and phone here; the password and e-mail addresses on allauth's pages."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    values = {"full_name": user.full_name, "phone": user.phone}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {"full_name": request.POST.get("full_name", ""), "phone": request.POST.get("phone", "")}
        try:
            account_profile_update(user=user, **values)
        except DomainError as failure:
            errors = failure.errors
            messages.error(request, str(failure))
        else:
            messages.success(request, _("Your account is saved."))
            return redirect("account")
    return render(request, "core/account.html", {"values": values, "errors": errors}, status=400 if errors else 200)


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


def server_error(request: HttpRequest) -> HttpResponse:
    """500 (an exception no view handled, DEBUG off): the API's JSON error shape under /api/, with the request id to
    quote to the office (the log line of the error carries the same id); Django's page elsewhere. An API client never
    gets an HTML page it cannot parse, even when the app itself failed."""
    if request.path.startswith("/api/"):
        detail = str(_("Server error. Please try again later."))
        return JsonResponse({"detail": detail, "errors": {}, "request_id": current_request_id()}, status=500)
    return django_server_error(request)
