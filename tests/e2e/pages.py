"""Every page of every role, derived from the permission matrix (not a hand list that rots).

A page is a URL name whose matrix answer for the role is 200 and that answers HTML (API JSON, CSV, XLSX, PDF and
image downloads are not pages). The matrix already holds every URL pattern of the project, and `ARGS` how to build
each one's arguments from the world, so a new page is walked as soon as it gets its row there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from core.models import User
from tests.e2e.test_permission_matrix import ACTORS, ARGS, MATRIX
from tests.e2e.world import World

# Pages not walked, each with its reason.
NOT_PAGES = {
    "api-docs",  # Swagger UI: a third-party widget (its own accessibility), served for developers, English only
}


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def url_of(world: World, name: str) -> str:
    return reverse(name, kwargs=ARGS[name](world) if name in ARGS else None)


def pages_for(world: World, actor: str, user: User | None) -> list[Page]:
    """The HTML pages `actor` (a column of the matrix) may open, as they answer that person now."""
    column = ACTORS.index(actor)
    client = Client()
    if user is not None:
        client.force_login(user)
    found = []
    for name in sorted(MATRIX):
        if MATRIX[name][column] != 200 or name in NOT_PAGES or name.startswith("api-"):
            continue
        url = url_of(world, name)
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            found.append(Page(name, url))
    return found
