"""Stored file names (a leaf module: imports no app)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath


def random_file_name(folder: str, filename: str) -> str:
    """`folder/<random hex><suffix>`: the person's file name is kept in a field, never used as a path."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
