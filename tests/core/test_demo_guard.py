"""`manage.py demo` publishes known passwords: with DEBUG off it refuses unless forced, and writes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import User


def test_the_demo_is_refused_with_debug_off_and_creates_no_account(settings: Any, db: None) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off: this looks like production"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(email__endswith="@demo.test").exists()
