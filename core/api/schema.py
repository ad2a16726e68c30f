"""OpenAPI post-processing: document the error answers every API view can give, in the one shared error shape.

`core.api.errors.exception_handler` turns every 4xx into `{"detail": str, "errors": {field: [str, ...]}}`. Views
document their success answers; this hook adds, to each operation that lacks them, the error answers its view
can produce:

- 400 when the operation takes a body or query parameters (validation and domain errors), or when its view
  checks a path parameter beyond its form (`validates_path = True`, e.g. a year outside the calendar);
- 401 when the view authenticates callers (no or a bad token), 403 when it also needs a role or the object;
- 404 when the path names an object (outside the caller's reach, or gone), or for a page number past the last page
  of a paginated list (DRF's PageNumberPagination answers "Invalid page." with 404);
- 409 on writes (a conflicting state: a transition no longer allowed, a duplicate);
- 415 on writes with a body (a media type the view does not parse);
- 429 when the view is throttled.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import AllowAny

ERROR_COMPONENT = "ErrorResponse"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer: a human message and the messages per field (empty when none).",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {}},
    },
    "required": ["detail", "errors"],
}
DESCRIPTIONS = {
    "400": "Invalid input (field errors in `errors`) or a business rule refused it.",
    "401": "No or an invalid token.",
    "403": "The caller's role may not do this.",
    "404": "No such object within the caller's reach.",
    "409": "The object's state changed or conflicts with the request.",
    "415": "Unsupported media type.",
    "429": "Too many requests; retry later.",
}
WRITES = {"post", "put", "patch", "delete"}


def _views_by_path(generator: Any) -> dict[tuple[str, str], Any]:
    views: dict[tuple[str, str], Any] = {}
    for path, _regex, method, callback in generator.endpoints or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    return views


def _codes_for(method: str, operation: dict[str, Any], view: Any, path: str) -> list[str]:
    codes: list[str] = []
    parameters = operation.get("parameters", [])
    validates_path = bool(getattr(view, "validates_path", False))
    if "requestBody" in operation or validates_path or any(p.get("in") == "query" for p in parameters):
        codes.append("400")
    authenticates = view is None or bool(getattr(view, "authentication_classes", ()))
    public = view is not None and all(p is AllowAny for p in getattr(view, "permission_classes", ()))
    if authenticates:
        codes.append("401")
    if not public or (authenticates and method in WRITES):
        codes.append("403")
    if "{" in path or any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
        codes.append("404")
    if method in WRITES:
        codes.append("409")
        if "requestBody" in operation:
            codes.append("415")
    if view is not None and getattr(view, "throttle_classes", None):
        codes.append("429")
    return codes


def document_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: see the module docstring."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    views = _views_by_path(generator)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            view = views.get((path, method))
            for code in _codes_for(method, operation, view, path):
                operation["responses"].setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": reference}}},
                )
    return result
