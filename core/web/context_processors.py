from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.access import roles
from core.web import navigation as nav


def navigation_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    held = roles.roles_of(user)
    return {
        "nav_items": nav.items_for(user),
        "user_roles": held,
        "role_labels": [roles.LABELS[name] for name in roles.ALL_ROLES if name in held],
    }


navigation = navigation_context  # the name settings.TEMPLATES refers to
