"""Generic streaming CSV and XLSX writers for staff exports (a leaf module: imports no app).

Rows come from an iterator (e.g. `queryset.values_list(...).iterator(chunk_size=2000)`), so an export never holds
every row in memory: CSV streams line by line; XLSX uses openpyxl's write-only workbook.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import itertools
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

CHUNK_SIZE = 2000
# Rows per piece of a streamed CSV (about 100 KB).
CSV_BATCH = 500
# zlib level for the workbook: 1 is several times faster than the default 6 and the file about a third larger.
XLSX_COMPRESSLEVEL = 1
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel opens at most 1,048,576 rows per sheet; one is the header.
XLSX_MAX_ROWS = 1_048_576 - 1

# Set by a background export job (reports.exports.services): called with the number of rows written so far, every
# CHUNK_SIZE rows. Unset in a request, where nothing reports progress.
xlsx_progress: ContextVar[Callable[[int], None] | None] = ContextVar("xlsx_progress", default=None)


class TooManyRows(Exception):
    """A selection with more rows than one Excel sheet holds."""


# Formula injection (OWASP, "CSV Injection"): a spreadsheet program runs a cell that starts with one of these as a
# formula (`=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...`, `-2+3`, or after a tab or carriage return). Text that an owner
# or anyone else wrote reaches staff exports (business names, outcomes, messages), so every text cell of every CSV
# and XLSX written here starts with a single quote when it starts with one of them. Numbers stay numbers.
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet shows it but never runs it (OWASP): `'=1+1` for "=1+1"; anything else unchanged."""
    if type(value) is str and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def neutral_row(row: Sequence[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.time) and value.tzinfo is not None:
        return value.isoformat()
    return neutralise(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]], *, prepared: bool = False) -> Iterator[str]:
    """The CSV text in pieces of CSV_BATCH rows: one piece per socket write (a write per line costs a system call
    each, the bottleneck of a million-row stream), yet memory stays flat. `prepared`: the rows hold no aware times
    (respond_columns has made them readable), so they go to the writer as they are (None is written empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(str(h)) for h in header])
    source = (neutral_row(row) for row in rows) if prepared else ([_cell(v) for v in row] for row in rows)
    while True:
        writer.writerows(itertools.islice(source, CSV_BATCH))
        piece = buffer.getvalue()
        if not piece:
            return
        yield piece
        buffer.seek(0)
        buffer.truncate()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, prepared: bool = False
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows, prepared=prepared), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- XLSX: one sheet streamed as XML into a zip, row by row ---------------------------------------------------------
# openpyxl's write-only workbook costs about 70 µs a row of 12 cells (measured: 1,000,000 rows, 70 s before reading a
# row from the database); this writer about 7 µs. It writes the parts a workbook needs (content types, relations,
# workbook, one style sheet for dates, the sheet) and every text cell as an inline string, so no table of shared
# strings is held in memory. Excel, LibreOffice and openpyxl read it.
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Characters XML 1.0 does not allow (control characters other than tab, line feed and carriage return).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_EXCEL_EPOCH_DATE = _EXCEL_EPOCH.date()
_STYLE_DATE, _STYLE_DATETIME = 1, 2
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="export" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


# Any character that needs the slow path: one search per cell instead of a search and a translate (str.translate
# with a table looks every character up; profiled: a third of the XLSX job's Python at 1,000,000 rows).
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xlsx_text(text: str) -> str:
    if not text:
        return "<c/>"
    if _XML_SPECIAL.search(text) is not None:
        text = _XML_ILLEGAL.sub("", text).translate(_XML_ESCAPES)
    return '<c t="inlineStr"><is><t xml:space="preserve">' + text + "</t></is></c>"


def _xlsx_xml_cell(value: Any) -> str:
    """One cell's XML: numbers as numbers, dates as Excel dates, text inline; an aware time as ISO text (as the CSV)."""
    kind = type(value)
    if kind is str:
        return _xlsx_text(neutralise(value))
    if value is None:
        return "<c/>"
    if kind is bool:
        return f'<c t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float or isinstance(value, int | float | decimal.Decimal):
        number = float(value) if isinstance(value, decimal.Decimal) else value
        if isinstance(number, float) and not math.isfinite(number):
            return _xlsx_text(neutralise(str(number)))
        return f"<c><v>{number}</v></c>"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            return _xlsx_text(value.isoformat())
        serial = (value - _EXCEL_EPOCH) / datetime.timedelta(days=1)
        return f'<c s="{_STYLE_DATETIME}"><v>{serial}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c s="{_STYLE_DATE}"><v>{(value - _EXCEL_EPOCH_DATE).days}</v></c>'
    return _xlsx_text(neutralise(str(value)))


def xlsx_write(target: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a one-sheet workbook of `header` and `rows` to `target`; returns the number of rows. Raises TooManyRows
    past one sheet's limit; reports progress (xlsx_progress) every CHUNK_SIZE rows."""
    progress = xlsx_progress.get()
    written = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=XLSX_COMPRESSLEVEL) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            batch = [_SHEET_START, '<row r="1">', *(_xlsx_text(neutralise(str(h))) for h in header), "</row>"]
            for row in rows:
                if written == XLSX_MAX_ROWS:
                    raise TooManyRows
                written += 1
                # Text, most cells, without the dispatch of _xlsx_xml_cell (a call less per cell).
                cells = [_xlsx_text(neutralise(v)) if type(v) is str else _xlsx_xml_cell(v) for v in row]
                batch.append(f'<row r="{written + 1}">' + "".join(cells) + "</row>")
                if written % CHUNK_SIZE == 0:
                    sheet.write("".join(batch).encode())
                    batch = []
                    if progress is not None:
                        progress(written)
            batch.append(_SHEET_END)
            sheet.write("".join(batch).encode())
    if progress is not None:
        progress(written)
    return written


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    """A workbook streamed to a temporary file (memory stays flat), returned as a file response."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    try:
        xlsx_write(spool, header, rows)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def respond(
    fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, prepared: bool = False
) -> Any:
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows)
    return csv_response(f"{name}.csv", header, rows, prepared=prepared)


# --- Exports people read: headers and labels in Indonesian by default (`?lang=en` for English), times in WIB ----------
EXPORT_LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Column:
    """One exported column: the queryset field, its header (a lazy translation) and, for a coded field, its choices
    (code -> lazy label) so the file says "Reguler" rather than `regular`."""

    field: str
    header: Any
    choices: Sequence[tuple[Any, Any]] | None = None
    # A label that depends on another column of the row (a workflow stage named per pathway): the choices' codes
    # are then "<code>:<other column's code>", e.g. "fatwa:self_declare"; `by` is the other column's field.
    by: str | None = None


def export_language(request: Any) -> str:
    wanted = str(request.GET.get("lang", "")).lower()
    return wanted if wanted in EXPORT_LANGUAGES else "id"


def _readable(value: Any, labels: dict[str, str] | None, zone: datetime.tzinfo | None = None) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone or timezone.get_current_timezone())  # TIME_ZONE: Asia/Jakarta (WIB)
        return value.strftime("%Y-%m-%d %H:%M")
    if labels is not None:
        return labels.get(value if type(value) is str else str(value), value)
    return value


def _model_field(model: Any, path: str) -> Any:
    """The model field behind a values_list path (`business__region__code`), or None (an annotation)."""
    from django.core.exceptions import FieldDoesNotExist

    parts = path.split("__")
    try:
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
            if model is None:
                return None
        return model._meta.get_field(parts[-1])
    except FieldDoesNotExist:
        return None


def _row_converter(
    model: Any, columns: Sequence[Column], labels: list[dict[str, str] | None]
) -> Callable[[Sequence[Any]], list[Any]]:
    """A function making one values_list row readable, planned once per export from the columns' model fields:
    labelled columns look their label up, date-time columns turn to WIB text, plain fields pass as they are, and
    only columns of unknown kind (annotations) go through the general conversion. Profiled on 1,000,000 rows:
    checking every value's type was half the CSV's time."""
    from django.db import models

    zone = timezone.get_current_timezone()
    labelled: list[tuple[int, dict[str, str]]] = []
    paired: list[tuple[int, int, dict[str, str]]] = []
    moments: list[int] = []
    unknown: list[int] = []
    fields = [column.field for column in columns]
    for i, column in enumerate(columns):
        field = _model_field(model, column.field)
        names = labels[i]
        if names is not None and column.by is not None:
            paired.append((i, fields.index(column.by), names))
        elif names is not None:
            labelled.append((i, names))
        elif field is None:
            unknown.append(i)
        elif isinstance(field, models.DateTimeField):
            moments.append(i)

    def convert(row: Sequence[Any]) -> list[Any]:
        out = list(row)
        for i, j, names in paired:  # keyed on the raw codes of the row, before any label replaces them
            value = row[i]
            if value is not None:
                out[i] = names.get(f"{value}:{row[j]}", value)
        for i, names in labelled:
            value = out[i]
            if value is not None:
                out[i] = names.get(value if type(value) is str else str(value), value)
        for i in moments:
            value = out[i]
            if value is not None:
                out[i] = (
                    value.astimezone(zone).isoformat(" ", "minutes")[:16] if value.tzinfo else _readable(value, None)
                )
        for i in unknown:
            out[i] = _readable(out[i], None, zone)
        return out

    return convert


def one_sheet(queryset: Any) -> Any:
    """The rows of `queryset` that one sheet can hold (one more, so the writer can say the limit was passed), in its
    order: the keys are picked first, in the list's order over its own table alone, and the rows joined to them after.

    Why (bench/RESULTS.md, issue 34 part E): read through a cursor, PostgreSQL plans for the first tenth of the rows
    and walks the order's index, fetching each case's row and its business's by index, one at a time. At 5M
    (application heap 1.9 GB, businesses 163 MB, shared_buffers 128 MB) nearly every fetch misses the buffer cache:
    42 µs a row, 44 s for a sheet, where the same plan took a few seconds at 1M. Written this way the order is read
    from the covering queue index alone (0.3 s for a sheet), the rows and their businesses are joined by hashing
    and the sheet's rows sorted once: 9 s at 5M. An annotated or distinct query is left as it is (none is that big).
    """
    query = queryset.query
    if query.is_sliced or query.annotations or query.distinct or not queryset.ordered:
        return queryset
    return queryset.filter(pk__in=queryset.values("pk")[: XLSX_MAX_ROWS + 1])


def respond_columns(request: Any, fmt: str, name: str, columns: Sequence[Column], queryset: Any) -> Any:
    """Stream `queryset` as CSV or XLSX with readable headers, labels instead of codes and times in WIB."""
    with translation.override(export_language(request)):
        header = [str(column.header) for column in columns]
        labels = [{str(k): str(v) for k, v in column.choices} if column.choices else None for column in columns]
    if fmt == "xlsx":
        queryset = one_sheet(queryset)
    raw = queryset.values_list(*[column.field for column in columns]).iterator(chunk_size=CHUNK_SIZE)
    rows = map(_row_converter(queryset.model, columns, labels), raw)
    return respond(fmt, name, header, rows, prepared=True)
