"""Generic streaming CSV and XLSX writers for staff exports (a leaf module: imports no app).

Rows come from an iterator (e.g. `queryset.values_list(...).iterator(chunk_size=2000)`), so an export never holds
every row in memory: CSV streams line by line; XLSX uses openpyxl's write-only workbook.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
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
