from __future__ import annotations

from django import template

from core.phones import whatsapp_link

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """`Rp 1.234.567` whatever the language."""
    if value is None:
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")


@register.filter
def whatsapp(phone: str) -> str:
    """A wa.me link for an Indonesian phone number ("" when there is none)."""
    return whatsapp_link(phone)
