"""Result rows, the printed table and the RESULTS.md text."""

from __future__ import annotations

from dataclasses import dataclass

PASS, FAIL, NA, BASE = "pass", "FAIL", "n/a", "baseline"


@dataclass
class Row:
    what: str
    budget: str = ""
    rps: float | None = None
    p50: float | None = None  # milliseconds
    p95: float | None = None
    p99: float | None = None
    ratio: float | None = None
    result: str = NA
    note: str = ""

    @classmethod
    def not_built(cls, what: str, budget: str, missing: str) -> Row:
        return cls(what=what, budget=budget, result=NA, note=f"n/a (not built yet: {missing})")

    @classmethod
    def verdict(cls, ok: bool) -> str:
        return PASS if ok else FAIL


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


HEADERS = ["what", "req/s", "p50 ms", "p95 ms", "p99 ms", "ratio", "budget", "result", "note"]


def cells(row: Row) -> list[str]:
    return [
        row.what,
        _num(row.rps, 0),
        _num(row.p50, 1),
        _num(row.p95, 1),
        _num(row.p99, 1),
        "-" if row.ratio is None else f"{row.ratio:.2f}x",
        row.budget,
        row.result,
        row.note,
    ]


def format_table(rows: list[Row]) -> str:
    """A plain-text table for the terminal, columns padded to their widest cell."""
    table = [HEADERS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_markdown(rows: list[Row]) -> str:
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells(row)) + " |")
    return "\n".join(out)
