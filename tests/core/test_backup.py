"""Backup and restore (core/ops/backup.py): the demo is backed up, wiped, restored into an empty database, and comes
back
with the same row in every table and the same bytes in every file; a damaged or misdirected restore writes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from certification.models import Certificate
from core.ops.backup import DUMP, MANIFEST, BackupError, read_manifest, row_counts, sha256_of

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _admin_connection() -> Any:
    config = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres",
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty database beside the test database (dropped afterwards)."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _url(database: str) -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return f"postgres://{config['USER']}{password}@{config['HOST']}:{config['PORT']}/{database}"


def _manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media), "DEBUG": "True"}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _counts(database: str) -> dict[str, int]:
    config = connection.settings_dict
    conn = psycopg2.connect(
        dbname=database, host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None
    )
    try:
        with conn.cursor() as cursor:
            return row_counts(cursor)
    finally:
        conn.close()


def test_the_demo_is_backed_up_wiped_and_restored_with_every_row_and_file(
    settings: Any, tmp_path: Path, empty_database: str
) -> None:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    call_command("demo", "--force", stdout=StringIO())
    certificate = Certificate.objects.exclude(pdf="").first()
    assert certificate is not None
    pdf_name, pdf_sum = certificate.pdf.name, sha256_of(media / certificate.pdf.name)
    source_counts = _counts(connection.settings_dict["NAME"])
    assert source_counts["certification_applicationevent"] > 10

    call_command("backup", "--output", str(tmp_path / "backups"), stdout=StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["database"]["tables"] == source_counts
    assert manifest["media"]["files"][pdf_name] == pdf_sum

    shutil.rmtree(media)  # the wipe: no file left; the restore goes into a new, empty database
    restored = _manage("restore", str(folder), database=empty_database, media=media)
    assert restored.returncode == 0, restored.stderr
    assert "row counts and checksums match the manifest" in restored.stdout

    assert _counts(empty_database) == source_counts
    assert sha256_of(media / pdf_name) == pdf_sum
    chains = _manage("verify_chains", database=empty_database, media=media)
    assert chains.returncode == 0, chains.stdout + chains.stderr
    assert "Every chain is intact." in chains.stdout


def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_writes_nothing(
    settings: Any, tmp_path: Path, alice: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    before = _counts(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="is not empty .* restore into a new, empty database"):
        call_command("restore", str(folder), stdout=StringIO())
    assert _counts(connection.settings_dict["NAME"]) == before


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    settings: Any, tmp_path: Path, alice: Any, empty_database: str
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    dump = folder / DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="database.dump is missing or damaged"):
        read_manifest(folder)
    refused = _manage("restore", str(folder), database=empty_database, media=tmp_path / "restored-media")
    assert refused.returncode != 0
    assert "database.dump is missing or damaged" in refused.stderr
    assert _counts(empty_database) == {}
    assert not (tmp_path / "restored-media").exists()


def test_a_backup_on_sqlite_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--output", str(tmp_path / "b")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Backups need PostgreSQL" in result.stderr
    assert not (tmp_path / "b").exists()
