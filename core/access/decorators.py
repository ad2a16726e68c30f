"""Who may open a page: anonymous visitors go to the login page, a signed-in person without the role gets 403; how
often a public page may be asked for (429 with Retry-After past the rate)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from core.access import roles

View = Callable[..., HttpResponse]


def role_required(*names: str) -> Callable[[View], View]:
    """`@role_required(roles.REVIEWER, roles.ADMIN)`: the person must hold one of these roles."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles.has_role(request.user, *names):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(*roles.STAFF_ROLES)


def page_rate_limit(*, group: str, rate: Callable[[], str]) -> Callable[[View], View]:
    """Count a public page's requests per client (core.access.net.client_ip, through django-ratelimit's "ip" key);
    past the rate, answer 429 with Retry-After and a page that says when to try again, as the API's throttles do."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            usage = get_usage(request, group=group, key="ip", rate=rate(), increment=True)
            if usage is not None and usage["should_limit"]:
                return too_many_requests(request, usage["time_left"])
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def too_many_requests(request: HttpRequest, wait: float) -> HttpResponse:
    """429 with Retry-After and a page that says when to try again, as the API's throttles do."""
    seconds = max(math.ceil(wait), 1)
    context = {"seconds": seconds, "minutes": math.ceil(seconds / 60)}
    response = render(request, "core/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
