"""Fee data shown as words: `{{ code|tier_name }}` -> `Menengah` for `MED`."""

from __future__ import annotations

from django import template

from fees.models import tier_code_label

register = template.Library()


@register.filter
def tier_name(code: str) -> str:
    return tier_code_label(str(code))
