"""One source of absolute URLs (a leaf module: imports no app).

E-mails, PDFs and QR codes are made outside a request (in Celery tasks, in services), so they cannot ask the
request for its host: they all use `absolute_url`, which prefers the request when there is one and otherwise the
configured SITE_URL (which, in development, follows the port the server runs on: see core.env.site_url_from).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "") or "").rstrip("/")


def absolute_url(path: str, request: Any = None) -> str:
    """`/verify/abc/` -> `http://127.0.0.1:8811/verify/abc/` (or the request's own scheme and host)."""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    if request is not None:
        return str(request.build_absolute_uri(path))
    return site_url() + path
