"""Who may open a page: anonymous visitors go to the login page, a signed-in person without the role gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

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
