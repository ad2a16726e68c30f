"""Template helpers of the registry: rupiah and scale filters for lists, and the owner's home panel."""

from __future__ import annotations

from typing import Any

from django import template

from applicants import selectors

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """`1234567` -> `Rp 1.234.567`; a negative amount -> `-Rp 1.234.567`; empty stays empty."""
    if value is None or value == "":
        return ""
    amount = int(value)
    digits = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp {digits}" if amount < 0 else f"Rp {digits}"


@register.filter
def pp7_scale(business: Any) -> str:
    """The PP 7/2021 scale of a registry row annotated with `latest_sales` (empty when no figures are filed)."""
    from applicants.scale import scale_by_sales

    sales = getattr(business, "latest_sales", None)
    return "" if sales is None else str(scale_by_sales(sales).label)


@register.simple_tag
def owner_businesses(user: Any) -> list[tuple[Any, selectors.Completeness]]:
    """The user's businesses with their onboarding completeness."""
    return selectors.owned_with_completeness(user)
