from __future__ import annotations

import importlib

import pytest
from django.apps import apps

_seed = importlib.import_module("fees.migrations.0002_seed_schedules").seed
_grant = importlib.import_module("fees.migrations.0003_admin_role_permissions").grant


@pytest.fixture(autouse=True)
def _seeded_fee_schedules(db: None) -> None:
    """The schedules come from a data migration; a transactional test elsewhere (browser, PostgreSQL concurrency)
    flushes every table, so put them back (and the admin role's permissions) when they are gone."""
    _seed(apps, None)
    _grant(apps, None)
