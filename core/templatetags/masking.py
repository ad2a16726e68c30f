"""`{% load masking %}{{ business.nib|mask_nib }}`, `{{ business.phone|mask_phone }}`: see halalmsi/masking.py."""

from __future__ import annotations

from django import template

from core import masking

register = template.Library()


@register.filter(name="mask_nib")
def mask_nib(value: object) -> str:
    return masking.mask_nib(value)


@register.filter(name="mask_phone")
def mask_phone(value: object) -> str:
    return masking.mask_phone(value)
