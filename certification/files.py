"""Validation of files uploaded during the workflow (payment proof, LPH audit report)."""

from __future__ import annotations

from typing import Any

import filetype
from django.utils.translation import gettext as _

from halalmsi.errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ALLOWED_MIME = {"application/pdf", "image/jpeg", "image/png"}


def validate_upload(file: Any, *, field: str) -> None:
    """A PDF, JPEG or PNG (checked by content, not by name) of at most 5 MB."""
    if not hasattr(file, "read") or not getattr(file, "name", ""):
        raise DomainError(_("Upload a file."), errors={field: [_("Upload a file.")]})
    if file.size > MAX_UPLOAD_BYTES:
        message = _("The file is larger than 5 MB.")
        raise DomainError(message, errors={field: [message]})
    head = file.read(2048)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_MIME:
        message = _("Upload a PDF, JPEG or PNG file.")
        raise DomainError(message, errors={field: [message]})
