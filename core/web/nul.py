"""Refuse NUL characters in query strings and submitted forms before they reach the database (PostgreSQL cannot
store or compare them).

Form and serializer fields already refuse NUL in submitted values; query-string filters read by list views and the
API do not, nor do the few pages that read a posted value directly (a message on a case, a programme), and
PostgreSQL answers such a value with an error (a 500). One check here covers every list and every form post.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if ("\x00" in query or "%00" in query) and _has_nul(request.GET):
            return _refuse(request, _("The address contains a character that is not allowed (NUL)."))
        # Pages only: the API's parsers and serializer fields refuse NUL themselves, and reading a multipart body here
        # would leave DRF an exhausted stream (its own 415 for a form sent to a JSON-only endpoint would be lost).
        if (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and not request.path.startswith("/api/")
            and _has_nul(request.POST)
        ):
            return _refuse(
                request, _("The form contains a character that is not allowed (NUL). Remove it and send again.")
            )
        return self.get_response(request)


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _has_nul(values: QueryDict) -> bool:
    return any("\x00" in key or "\x00" in value for key, items in values.lists() for value in items)


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": {}}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
