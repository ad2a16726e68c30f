"""The current request id (a leaf module: logging imports it before Django's apps are ready).

Set by core.ops.observability's middleware for a request and by its Celery signal handlers for a task; read by the log
filter below, so every record carries it, and by Sentry's event hook.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

NO_REQUEST = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (the handler's formatter prints it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True
