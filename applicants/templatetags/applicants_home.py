"""Home-panel helpers for the owner panel (templates/halalmsi/home/owner.html)."""

from __future__ import annotations

from typing import Any

from django import template

from applicants import selectors

register = template.Library()


@register.simple_tag
def owner_businesses(user: Any) -> list[tuple[Any, selectors.Completeness]]:
    """The user's businesses with their onboarding completeness."""
    return [
        (b, selectors.business_completeness(b))
        for b in selectors.with_completeness(selectors.businesses_owned_by(user))
    ]
