"""What the applicants pages share: who may read, and the confirmation every deletion goes through."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import roles

# Who may read a business page at all (each view then scopes the object to the person).
READERS = (*roles.STAFF_ROLES, roles.PPH, roles.OWNER)


def confirm_delete(
    request: HttpRequest,
    *,
    subject: str,
    back_url: str,
    consequences: Sequence[str] = (),
    refusal: str = "",
    replace_url: str = "",
    status: int = 200,
) -> HttpResponse:
    """The page that asks before anything is deleted (a GET shows it, the POST of its button deletes). A deletion
    that is refused shows why, without the button, and offers the replacement where there is one."""
    context = {
        "subject": subject,
        "back_url": back_url,
        "consequences": consequences,
        "refusal": refusal,
        "replace_url": replace_url,
    }
    return render(request, "applicants/confirm_delete.html", context, status=status)
