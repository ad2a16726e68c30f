"""Refuse NUL characters in query strings before they reach the database (PostgreSQL cannot store or compare them).

Form and serializer fields already refuse NUL in submitted values; query-string filters read by list views and the
API do not, and PostgreSQL answers such a filter with an error. One check here covers every list.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if ("\x00" in query or "%00" in query) and any("\x00" in v for _k, vs in request.GET.lists() for v in vs):
            message = _("The address contains a character that is not allowed (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": {}}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
