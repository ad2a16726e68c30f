"""Navigation per role. Each app lists its own pages in its AppConfig (`navigation = [NavItem(...), ...]`); this
module collects them, so the ground floor never names another app's pages.

`roles=None` means everyone (public); an empty tuple means any signed-in user. `order` places an item in the menu
(lower first); items of equal order keep INSTALLED_APPS order. `public=True` also shows it to anonymous visitors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import roles as r


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...] | None = ()
    order: int = 50
    public: bool = False


HOME = NavItem(_("Home"), "home", (), order=0)
ABOUT = NavItem(_("About"), "landing", None, order=0, public=True)


@cache
def all_items() -> tuple[NavItem, ...]:
    """Every app's items, sorted by `order` (stable, so apps keep their INSTALLED_APPS order among equals)."""
    items = [HOME, ABOUT]
    for config in apps.get_app_configs():
        items.extend(getattr(config, "navigation", ()))
    return tuple(sorted(items, key=lambda item: item.order))


def _visible(item: NavItem, user: Any) -> bool:
    if not user.is_authenticated:
        return item.public
    if item is ABOUT:
        return False
    if item.roles is None:
        return True
    return not item.roles or r.has_role(user, *item.roles)


def items_for(user: Any) -> list[dict[str, str]]:
    result = []
    for item in all_items():
        if not _visible(item, user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # an app that is installed without its urls (tests/core keeps every listed name reversible)
        result.append({"label": str(item.label), "url": url, "name": item.url_name})
    return result
