"""The jurisdiction rule as the ground floor sees it.

`core` imports no app, yet some of its pages (the staff's delivery log) list rows of many regions. The app that owns
regions and staff jurisdictions (applicants: `applicants.selectors.jurisdiction_q`) registers its rule here at
start-up, so core applies the very same rule instead of a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

Rule = Callable[[Any, str], Q]
_rules: list[Rule] = []


def register(rule: Rule) -> None:
    """Called once by the app that owns the rule (registering the same rule twice is harmless)."""
    if rule not in _rules:
        _rules.append(rule)


def region_q(user: Any, prefix: str = "") -> Q:
    """A filter on `<prefix>region` for the regions the user works for (the registered rule)."""
    if not _rules:
        raise ImproperlyConfigured("No jurisdiction rule registered: applicants registers it in AppConfig.ready()")
    return _rules[0](user, prefix)
