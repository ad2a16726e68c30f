"""JSON log lines with a zoned timestamp, shared by Django, Celery and gunicorn (deploy/gunicorn.conf.py).

A leaf module (no Django import): gunicorn loads it before the application. Timestamps are ISO 8601 in UTC with
their offset (`2026-12-07T12:50:12.762+00:00`), so lines from hosts in different zones sort and compare as they are.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class ZonedJsonFormatter(JsonFormatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")


def gunicorn_logconfig(json_lines: bool) -> dict[str, object]:
    """gunicorn's `logconfig_dict`: its own lines (start, workers booted or killed, timeouts) to stderr, as JSON in
    production. Its access log stays off: the application logs every request, with its id (core/ops/observability)."""
    formatter: dict[str, object] = (
        {"()": f"{__name__}.ZonedJsonFormatter", "fmt": FIELDS, "rename_fields": RENAMED}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
        "root": {"level": "INFO", "handlers": ["console"]},
    }
