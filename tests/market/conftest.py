from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from tests.certification import factories as cf


@pytest.fixture(autouse=True)
def _media_and_language(tmp_path: Path, settings: Any) -> Iterator[None]:
    """Uploads go to a per-test folder; messages are asserted in Indonesian (the users' language)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "id"
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")), translation.override("id"):
        yield


@pytest.fixture
def cast(alice: Any, rina: Any, pat: Any) -> cf.Cast:
    cf.national_quota(places=1000)
    return cf.Cast(owner=alice, reviewer=rina, pph=pat)
