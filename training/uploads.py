"""Evidence upload validation: the same rule as applicants' documents (one implementation, in applicants)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from applicants.uploads import ALLOWED_TYPES, validate_upload
from halalmsi.errors import DomainError

__all__ = ["ALLOWED_TYPES", "evidence_validate"]


def evidence_validate(upload: UploadedFile) -> str:
    """Check an uploaded evidence file; return its content type detected from the bytes (never the client's)."""
    try:
        return validate_upload(upload)
    except DomainError as error:
        raise DomainError(error.message, errors={"evidence": [error.message]}) from error
