"""Indonesian is the first language: every catalogue is complete, and no string in the code is missing from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from core.management.commands.compiletranslations import locale_dirs

ROOT = Path(__file__).resolve().parents[2]


def catalogues() -> list[Path]:
    return sorted(path for directory in locale_dirs() for path in directory.glob("id/LC_MESSAGES/django.po"))


def test_there_is_an_indonesian_catalogue_for_the_project() -> None:
    assert ROOT / "locale/id/LC_MESSAGES/django.po" in catalogues()


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_indonesian_message_is_translated(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated in {po_path}: {missing[:10]}"
    assert fuzzy == [], f"fuzzy in {po_path}: {fuzzy[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_no_translatable_string_is_missing_from_the_catalogues(tmp_path: Path) -> None:
    """Run makemessages on a copy of the sources and compare message ids with the committed catalogues."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "media", "staticfiles", "*.mo", "__pycache__", "test-artifacts"),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "halalmsi.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--ignore=.venv", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    problems = []
    for fresh in copy.rglob("locale/id/LC_MESSAGES/django.po"):
        committed = ROOT / fresh.relative_to(copy)
        known = {e.msgid for e in polib.pofile(str(committed))} if committed.exists() else set()
        new = sorted({e.msgid for e in polib.pofile(str(fresh))} - known)
        if new:
            problems.append(f"{committed.relative_to(ROOT)}: {new[:8]}")
    assert problems == [], "strings missing from catalogues (run makemessages): " + "; ".join(problems)
