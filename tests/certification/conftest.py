from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from tests.certification import factories as f


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast logs in by force; hashing their passwords slowly buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Messages are asserted in English (the msgids); tests that check Indonesian switch explicitly."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cast(alice: Any, rina: Any, pat: Any) -> f.Cast:
    f.national_quota(places=1000)
    return f.Cast(owner=alice, reviewer=rina, pph=pat)


@pytest.fixture
def fee_schedules(db: None, settings: Any) -> None:
    """The charged fee schedule, seeded by the fees app's data migration."""
    from fees.models import FeeSchedule

    assert FeeSchedule.objects.filter(slug=settings.CHARGED_FEE_SCHEDULE).exists()
