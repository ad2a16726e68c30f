"""Baselines for the benchmark suite: the cheapest Django JSON view and DRF APIView the same server can serve.

Mounted only by bench.settings (bench/urls.py), under /bench/; the production URLconf never has them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import Context, Template
from django.views.decorators.http import require_GET
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


@require_GET
def bare_json(request: HttpRequest) -> JsonResponse:
    """Baseline of the public verification JSON: through every middleware, no database, no DRF."""
    return JsonResponse({"status": "ok"})


BARE_PAGE = Template(
    '<!doctype html><html><head><meta charset="utf-8"><title>{{ title }}</title></head>'
    "<body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>"
)


@require_GET
def bare_html(request: HttpRequest) -> HttpResponse:
    """Baseline of the verification page: a Django template rendered through every middleware, no database."""
    return HttpResponse(BARE_PAGE.render(Context({"title": "Sertifikat halal", "text": "Berlaku."})))


class BareAPIView(APIView):
    """Baseline of the fee quote: configured like FeeQuoteView (anonymous, JSON in and out), minus the work."""

    schema = None
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes: list[Any] = []

    def post(self, request: Request) -> Response:
        return Response({"fields": sorted(request.data)})
