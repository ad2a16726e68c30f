"""The API's one error shape: every 4xx answers `{"detail": str, "errors": {field: [str, ...]}}`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def _first_message(errors: Any) -> str:
    """The first human message in a DRF error structure, prefixed with its field when there is one."""
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            if field in ("non_field_errors", "detail"):
                return message
            return f"{field}: {message}"
        return ""
    if isinstance(errors, list):
        return _first_message(errors[0]) if errors else ""
    return str(errors)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every 4xx answers `{"detail": str, "errors": {field: [str, ...]}}`."""
    if isinstance(exc, DomainError):
        return Response(
            {"detail": str(exc.message), "errors": {k: [str(m) for m in v] for k, v in exc.errors.items()}},
            status=exc.status_code,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = {"detail": _first_message(errors) or str(_("Invalid input.")), "errors": errors}
    else:
        data = response.data if isinstance(response.data, dict) else {}
        response.data = {"detail": str(data.get("detail", response.status_text)), "errors": {}}
    return response
