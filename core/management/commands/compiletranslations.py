"""Compile every .po file to .mo with polib, so no GNU gettext is needed to run the platform."""

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def locale_dirs() -> list[Path]:
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        # Only the project's own apps (top-level packages here), not installed packages in .venv.
        if path.parent == base and (path / "locale").is_dir():
            dirs.append(path / "locale")
    return dirs


class Command(BaseCommand):
    help = "Compile the project's .po translation files to .mo (pure Python, via polib)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for directory in locale_dirs():
            for po_path in directory.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        self.stdout.write(f"compiled {count} translation file(s)")
