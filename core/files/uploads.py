"""Upload validation for every file a person stores: documents, evidence, payment proofs, audit reports (one rule)."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import DomainError

# What we accept, by content (magic bytes) — never by the name or the browser's claimed type.
ALLOWED_TYPES: dict[str, str] = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def validate_upload(file: Any, *, field: str = "file") -> str:
    """Check an uploaded file; return its sniffed content type or raise DomainError with a message for a person,
    filed under `field` (the form or API field the file came in).

    Refused: no file, an empty file, a file over settings.UPLOAD_MAX_BYTES, a name carrying a path or `..`, and any
    content that is not PDF, JPEG or PNG (a `.pdf` that is really HTML is refused).
    """

    def _refuse(message: str) -> DomainError:
        return DomainError(message, errors={field: [message]})

    if file is None or not hasattr(file, "read"):
        raise _refuse(_("Upload a file."))
    name = str(getattr(file, "name", "") or "")
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise _refuse(_("The file name must be a plain name without a folder path or '..'."))
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        raise _refuse(_("The file is empty."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise _refuse(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8192)
    file.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise _refuse(_("Only PDF, JPEG and PNG files are accepted; this file's content is of another type."))
    return str(kind.mime)


def file_sha256(file: Any) -> str:
    """The SHA-256 of an uploaded (or stored) file's content, read in chunks; the file's position is kept."""
    digest = hashlib.sha256()
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    for chunk in iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(position)
    return digest.hexdigest()


def stored_suffix(content_type: str) -> str:
    """The file name suffix that matches a sniffed content type (`.pdf`, `.jpg`, `.png`)."""
    return ALLOWED_TYPES[content_type]


# Names a person may have given each type (a JPEG is often `.jpeg`).
SUFFIX_ALIASES: dict[str, set[str]] = {"image/jpeg": {".jpg", ".jpeg"}}


def download_name(name: str, content_type: str) -> str:
    """The name to download a stored file under: the person's name, with the suffix of the type its content was
    sniffed as (a PDF uploaded as `report.html` downloads as `report.pdf`, never as HTML)."""
    suffix = ALLOWED_TYPES.get(content_type)
    if suffix is None:
        return name
    path = PurePosixPath(name.replace("\\", "/")).name
    stem, current = PurePosixPath(path).stem, PurePosixPath(path).suffix.lower()
    if current in SUFFIX_ALIASES.get(content_type, {suffix}):
        return path
    return f"{stem or 'file'}{suffix}"
