from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """`Rp 1.234.567` whatever the language."""
    if value is None:
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")
