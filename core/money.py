"""Rupiah formatting (a leaf module: imports no app). Whole rupiah, dots between thousands: `Rp 1.234.567`."""

from __future__ import annotations


def format_thousands(amount: int) -> str:
    """`1234567` -> `1.234.567` (Indonesian grouping, whatever the active language: rupiah are written this way)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


def format_rupiah(amount: int) -> str:
    """`1234567` -> `Rp 1.234.567`; `-1234567` -> `-Rp 1.234.567`."""
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_thousands(abs(amount))}"
