"""JSON request bodies of the API, checked before anything parses them.

Python's json module parses nested arrays by recursion: a body of 100,000 `[` exhausts the stack (RecursionError,
a 500). A body over DATA_UPLOAD_MAX_MEMORY_SIZE made Django answer its HTML 400 page. Here, before any view or
parser sees the body: its size, its nesting depth and its number of values are bounded, and a refusal answers in
the API's error shape (`{"detail", "errors"}`). The scan blanks out string contents with one regular expression and
counts brackets; it stops early and costs microseconds for the usual small body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
OPEN_OR_CLOSE = re.compile(rb"[\[\]{}]")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def json_body_refusal(body: bytes, *, max_depth: int, max_values: int) -> str | None:
    """Why this JSON body is refused (too deep, too many values), or None. Does not parse it.

    The depth scan looks at no more brackets than a body within the value limit can have, so it costs little even
    on a body that is refused for its size.
    """
    bare = STRING.sub(b'""', body)
    depth = 0
    for seen, match in enumerate(OPEN_OR_CLOSE.finditer(bare)):
        if seen > 2 * max_values:
            break
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                return _("The request's JSON is nested too deeply (the limit is %(limit)s levels).") % {
                    "limit": max_depth
                }
        else:
            depth -= 1
    if bare.count(b"[") + bare.count(b"{") + bare.count(b",") + 1 > max_values:
        return _("The request has too many values (the limit is %(limit)s).") % {"limit": f"{max_values:,}"}
    return None


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


def api_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message, "errors": {}}, status=status)


class JsonBodyGuardMiddleware:
    """Refuses an API write whose JSON body is too large, too deep or too long, whatever parser the view uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in WRITES and request.path_info.startswith("/api/") and _is_json(request):
            refusal = self.refusal(request.META)
            if refusal is None:
                refusal = json_body_refusal(
                    request.body, max_depth=settings.API_JSON_MAX_DEPTH, max_values=settings.API_JSON_MAX_VALUES
                )
            if refusal is not None:
                return api_error(refusal)
        return self.get_response(request)

    @staticmethod
    def refusal(meta: Mapping[str, Any]) -> str | None:
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _("The request's Content-Length is not a number.")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return _("The request body is too large (%(size)s); the limit is %(limit)s.") % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
            }
        return None


class GuardedJSONParser(JSONParser):
    """DRF's JSON parser; a body that still overflows the parser's stack is a 400, never a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The request's JSON is nested too deeply.")) from None
