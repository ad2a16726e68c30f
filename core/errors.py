"""Domain errors (a leaf module: imports no app).

Services raise these with a message fit for a person; views show the message, the API answers 400 (409 for
`Conflict`) with it. They never carry an HttpRequest or a status of their own beyond that.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: Any, *, errors: dict[str, list[Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def __str__(self) -> str:
        return str(self.message)


class Conflict(DomainError):
    """The object changed meanwhile (someone else acted first); reload and try again."""

    status_code = 409
