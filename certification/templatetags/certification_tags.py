from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

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


@register.filter
def said(row: Any, field: str) -> str:
    """A checklist line's classification text ("reason" or "evidence") in the active language."""
    return str(row.said(field))


@register.filter
def in_language(texts: Any) -> str:
    """A text the evidence keeps in both languages ({"id": ..., "en": ...}), in the active one (else Indonesian)."""
    if isinstance(texts, dict):
        return str(texts.get(translation.get_language() or "id") or texts.get("id") or "")
    return "" if texts is None else str(texts)
