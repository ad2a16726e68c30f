"""The streamed XLSX writer and the batched CSV stream of core.files.exports (no database)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.files import exports


def _read(content: bytes) -> list[tuple[object, ...]]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def test_every_kind_of_value_reads_back_in_openpyxl() -> None:
    buffer = io.BytesIO()
    aware = dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC)
    rows = [
        [1, 'Tempe & <Tahu> "Bu Sri"', Decimal("1500000.50"), dt.date(2026, 1, 31), dt.datetime(2026, 1, 31, 8, 30)],
        [None, " spasi ", True, aware, "kontrol\x01\x1fhilang"],
        [2**40, "", 0.25, "Jalan\nBaris dua", 0],
    ]
    assert exports.xlsx_write(buffer, ["ID", "Nama", "Rp", "Tanggal", "Waktu"], rows) == 3
    assert _read(buffer.getvalue()) == [
        ("ID", "Nama", "Rp", "Tanggal", "Waktu"),
        (1, 'Tempe & <Tahu> "Bu Sri"', 1500000.5, dt.datetime(2026, 1, 31), dt.datetime(2026, 1, 31, 8, 30)),
        (None, " spasi ", True, aware.isoformat(), "kontrolhilang"),
        (2**40, None, 0.25, "Jalan\nBaris dua", 0),
    ]


def test_progress_every_chunk_and_the_sheet_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    token = exports.xlsx_progress.set(seen.append)
    try:
        exports.xlsx_write(io.BytesIO(), ["a"], [[i] for i in range(5)])
        monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
        with pytest.raises(exports.TooManyRows):
            exports.xlsx_write(io.BytesIO(), ["a"], [[i] for i in range(4)])
    finally:
        exports.xlsx_progress.reset(token)
    assert seen[:4] == [2, 4, 5, 2]


def test_the_csv_streams_in_batches_of_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "CSV_BATCH", 2)
    pieces = list(exports.csv_lines(["a", "b"], [[1, None], [2, "x,y"], [3, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]]))
    assert pieces == ['\ufeffa,b\r\n1,\r\n2,"x,y"\r\n', "3,2026-01-01T00:00:00+00:00\r\n"]


DANGEROUS = ['=HYPERLINK("http://evil.test","klik")', "+62812 3456", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("prepared", [False, True])
def test_csv_cells_that_would_run_as_formulas_start_with_a_quote(prepared: bool) -> None:
    import csv

    rows = [[text, 7, -5, "Keripik = enak"] for text in DANGEROUS]
    text = "".join(exports.csv_lines(["=Nama", "Jumlah", "Selisih", "Catatan"], rows, prepared=prepared))
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert read[0][0] == "'=Nama"
    assert [row[0] for row in read[1:]] == ["'" + value for value in DANGEROUS]
    assert all(row[1:] == ["7", "-5", "Keripik = enak"] for row in read[1:])  # numbers and inner signs untouched


def test_xlsx_cells_that_would_run_as_formulas_start_with_a_quote() -> None:
    buffer = io.BytesIO()
    exports.xlsx_write(buffer, ["Nama", "Angka"], [[value, -5] for value in DANGEROUS])
    read = _read(buffer.getvalue())
    # XML reads a carriage return back as a line feed; the quote in front is what matters
    assert [row[0] for row in read[1:]] == ["'" + value.replace("\r", "\n") for value in DANGEROUS]
    assert all(row[1] == -5 for row in read[1:])


def test_xml_special_characters_are_escaped_and_illegal_ones_dropped_in_a_text_cell() -> None:
    assert exports._xlsx_text("Tahu & Tempe <Bu Sri>") == (
        '<c t="inlineStr"><is><t xml:space="preserve">Tahu &amp; Tempe &lt;Bu Sri&gt;</t></is></c>'
    )
    assert exports._xlsx_text("a\x01&b\uffff") == '<c t="inlineStr"><is><t xml:space="preserve">a&amp;b</t></is></c>'
    assert exports._xlsx_text("biasa") == '<c t="inlineStr"><is><t xml:space="preserve">biasa</t></is></c>'
    assert _read_sheet_texts(["Tahu & Tempe <Bu Sri>", "=1+1"]) == ("Tahu & Tempe <Bu Sri>", "'=1+1")


def _read_sheet_texts(cells: list[str]) -> tuple[object, ...]:
    out = io.BytesIO()
    exports.xlsx_write(out, ["a", "b"], [cells])
    return _read(out.getvalue())[1]
