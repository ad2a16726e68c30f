from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    """Uploaded files go to a per-test folder."""
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield
