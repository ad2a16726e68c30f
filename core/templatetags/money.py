"""`{% load money %}{{ amount|rupiah }}` renders whole rupiah as `Rp 1.234.567`."""

from __future__ import annotations

from typing import Any

from django import template

from core.money import format_rupiah, format_thousands

register = template.Library()


@register.filter(name="rupiah")
def rupiah(value: Any) -> str:
    """Empty string for None or anything that is not a whole number (a template must not crash on a blank)."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        return format_rupiah(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter(name="thousands")
def thousands(value: Any) -> str:
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        return format_thousands(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def grouped(value: Any) -> Any:
    """A count grouped the Indonesian way (`1352995` -> `1.352.995`); a fraction with a decimal comma (`12,5`).

    Text passes through unchanged, so a table cell of any kind can use it."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return format_thousands(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if number == int(number):
        return format_thousands(int(number))
    whole, _dot, fraction = f"{abs(number):.1f}".partition(".")
    return ("-" if number < 0 else "") + format_thousands(int(whole)) + "," + fraction
