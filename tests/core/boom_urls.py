"""The project's URLs plus views that fail, for tests/core/test_server_errors.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from halalmsi.urls import handler400, handler404, handler500
from halalmsi.urls import urlpatterns as project

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]


@api_view(["GET"])
@permission_classes([AllowAny])
def api_boom(request: Request) -> Response:
    raise RuntimeError("a bug in an API view")


def plain_boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("api/v1/test-boom/", api_boom),
    path("api/v1/test-plain-boom/", plain_boom),
    path("test-boom/", plain_boom),
    *project,
]
