"""Generic streaming CSV and XLSX writers for staff exports (a leaf module: imports no app).

Rows come from an iterator (e.g. `queryset.values_list(...).iterator(chunk_size=2000)`), so an export never holds
every row in memory: CSV streams line by line; XLSX uses openpyxl's write-only workbook.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook

CHUNK_SIZE = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel opens at most 1,048,576 rows per sheet; one is the header.
XLSX_MAX_ROWS = 1_048_576 - 1

# Set by a background export job (reports.export_jobs): called with the number of rows written so far, every
# CHUNK_SIZE rows. Unset in a request, where nothing reports progress.
xlsx_progress: ContextVar[Callable[[int], None] | None] = ContextVar("xlsx_progress", default=None)


class TooManyRows(Exception):
    """A selection with more rows than one Excel sheet holds."""


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.isoformat()
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value: Any) -> Any:
    value = _cell(value)
    if hasattr(value, "as_tuple"):  # Decimal: spreadsheets store numbers as doubles
        return float(value)
    if not isinstance(value, int | float | str) and not hasattr(value, "isoformat"):
        return str(value)
    return value


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    """A write-only workbook spooled to a temporary file (memory stays flat), returned as a file response."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="export")
    sheet.append([str(h) for h in header])
    progress = xlsx_progress.get()
    written = 0
    for row in rows:
        if written == XLSX_MAX_ROWS:
            raise TooManyRows
        sheet.append([_xlsx_cell(v) for v in row])
        written += 1
        if progress is not None and written % CHUNK_SIZE == 0:
            progress(written)
    if progress is not None:
        progress(written)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def respond(fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Any:
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows)
    return csv_response(f"{name}.csv", header, rows)


# --- Exports people read: headers and labels in Indonesian by default (`?lang=en` for English), times in WIB ----------
EXPORT_LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Column:
    """One exported column: the queryset field, its header (a lazy translation) and, for a coded field, its choices
    (code -> lazy label) so the file says "Reguler" rather than `regular`."""

    field: str
    header: Any
    choices: Sequence[tuple[Any, Any]] | None = None


def export_language(request: Any) -> str:
    wanted = str(request.GET.get("lang", "")).lower()
    return wanted if wanted in EXPORT_LANGUAGES else "id"


def _readable(value: Any, labels: dict[str, str] | None) -> Any:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)  # TIME_ZONE: Asia/Jakarta (WIB)
        return value.strftime("%Y-%m-%d %H:%M")
    if labels is not None and value is not None and str(value) in labels:
        return labels[str(value)]
    return value


def respond_columns(request: Any, fmt: str, name: str, columns: Sequence[Column], queryset: Any) -> Any:
    """Stream `queryset` as CSV or XLSX with readable headers, labels instead of codes and times in WIB."""
    with translation.override(export_language(request)):
        header = [str(column.header) for column in columns]
        labels = [{str(k): str(v) for k, v in column.choices} if column.choices else None for column in columns]
    raw = queryset.values_list(*[column.field for column in columns]).iterator(chunk_size=CHUNK_SIZE)
    rows = ([_readable(value, labels[i]) for i, value in enumerate(row)] for row in raw)
    return respond(fmt, name, header, rows)
