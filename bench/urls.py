"""The project's URLconf plus the benchmark's bare baselines under /bench/ (bench.settings only)."""

from django.urls import path

from bench import baselines
from halalmsi.urls import handler404
from halalmsi.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("bench/json/", baselines.bare_json, name="bench-json"),
    path("bench/html/", baselines.bare_html, name="bench-html"),
    path("bench/drf/", baselines.BareAPIView.as_view(), name="bench-drf"),
]

__all__ = ["handler404", "urlpatterns"]
