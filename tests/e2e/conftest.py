from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings: Any, tmp_path: Path) -> None:
    """The cast's passwords need no slow hashing here; uploads go to a throw-away folder, never the repository's."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
