"""`/api/v1/`: the API root, listing every endpoint under it (read from the URLconf, so it never drifts) with the
schema and docs addresses. Public like the docs: it lists addresses, not data."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

PREFIX = "api/v1/"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(patterns: list[Any], prefix: str) -> list[tuple[str, str]]:
    found = []
    for entry in patterns:
        route = prefix + _CONVERTER.sub(r"{\1}", str(entry.pattern))
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append(("/" + route.lstrip("^").rstrip("$"), entry.name))
    return found


@cache
def api_endpoints() -> tuple[tuple[str, str], ...]:
    """(path, name) of every named route under /api/v1/, sorted by path."""
    routes = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == PREFIX:
            routes += _walk(entry.url_patterns, PREFIX)
    return tuple(sorted(routes))


class ApiRootView(APIView):
    """The API's entry point: its endpoints (paths with `{placeholders}`), the OpenAPI schema and the docs."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses=inline_serializer(
            "ApiRoot",
            {
                "schema": serializers.CharField(),
                "docs": serializers.CharField(),
                "endpoints": inline_serializer(
                    "ApiEndpoint", {"path": serializers.CharField(), "name": serializers.CharField()}, many=True
                ),
            },
        )
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "endpoints": [{"path": path, "name": name} for path, name in api_endpoints()],
            }
        )
