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
