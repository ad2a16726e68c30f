"""The friendly 404 page also while developing (a leaf module: imports no app).

With DEBUG on, Django answers an Http404 raised by a view (a case that is not yours, an unknown number) with its
technical page, in English, listing URL patterns: what a reviewer or an assistant trying the demo saw. Pages (not the
API, which answers JSON) get the same Indonesian-first 404 page as production. DEBUG_TECHNICAL_404=True brings the
technical page back for a developer who wants it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


class FriendlyNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Http404) or request.path.startswith("/api/"):
            return None
        if not settings.DEBUG or getattr(settings, "DEBUG_TECHNICAL_404", False):
            return None  # production answers through handler404 with the same template
        return page_not_found(request, exception)
