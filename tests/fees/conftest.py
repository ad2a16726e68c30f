from __future__ import annotations

import importlib

import pytest
from django.apps import apps

_seed = importlib.import_module("fees.migrations.0002_seed_schedules").seed


@pytest.fixture(autouse=True)
def _seeded_fee_schedules(db: None) -> None:
    """The schedules come from a data migration; a transactional test elsewhere (browser, PostgreSQL concurrency)
    flushes every table, so put them back when they are gone. A no-op (one query) when they are there."""
    _seed(apps, None)
