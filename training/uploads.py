"""Evidence upload validation.

Temporary copy of the rule that applicants' documents follow (PDF, JPEG or PNG by magic bytes, size limit, no path
in the name); swap for applicants' shared validator when both branches are merged.
"""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from halalmsi.errors import DomainError

ALLOWED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def evidence_validate(upload: UploadedFile) -> str:
    """Check an uploaded evidence file; return its content type detected from the bytes (never the client's)."""
    name = upload.name or ""
    if not name or "/" in name or "\\" in name or name in {".", ".."} or "\x00" in name:
        raise DomainError(_("The file name must not contain a path."), errors={"evidence": [_("Invalid file name.")]})
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        message = _("The file is too big: at most %(limit)s.") % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        raise DomainError(message, errors={"evidence": [message]})
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        message = _("Only PDF, JPEG or PNG files are accepted.")
        raise DomainError(message, errors={"evidence": [message]})
    return kind.mime
