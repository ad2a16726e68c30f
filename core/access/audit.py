"""Audit middleware: records state-changing requests by staff and assistants (StaffAction rows)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.access import roles
from core.access.net import client_ip
from core.models import StaffAction

AUDITED_ROLES = (roles.PPH, *roles.STAFF_ROLES)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class StaffAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and roles.has_role(user, *AUDITED_ROLES):
                match = getattr(request, "resolver_match", None)
                StaffAction.objects.create(
                    actor=user,
                    method=request.method or "",
                    path=request.path[:500],
                    view_name=(match.view_name if match else "")[:200],
                    status_code=response.status_code,
                    ip_address=client_ip(request),
                )
        return response
