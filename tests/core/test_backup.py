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

from applicants.models import Person
from certification.models import Certificate
from core.ops import sealed
from core.ops.backup import SEALED_DUMP, SEALED_INDEX, BackupError, read_manifest, row_counts, sha256_of

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
KEY = sealed.generate_key()


@pytest.fixture(autouse=True)
def _backup_key(settings: Any) -> None:
    settings.BACKUP_KEY = KEY


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
    env = {**os.environ, "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media), "DEBUG": "True", "BACKUP_KEY": KEY}
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
    with (folder / SEALED_INDEX).open("rb") as source:
        index = json.loads(b"".join(sealed.open_stream(source, key=sealed.read_key(KEY), label=SEALED_INDEX)))
    assert index["tables"] == source_counts
    assert index["files"][pdf_name] == pdf_sum
    # sealed and private: the folder 0700, every file 0600, no NIK or owner e-mail readable in any of them
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()} == dict.fromkeys(
        ("manifest.json", "database.dump.sealed", "media.tar.gz.sealed", "index.json.sealed"), 384
    )
    nik = Person.objects.exclude(nik="").values_list("nik", flat=True).first()
    assert nik
    for path in folder.iterdir():
        content = path.read_bytes()
        assert nik.encode() not in content and b"owner1@demo.test" not in content, path.name

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
    dump = folder / SEALED_DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="database.dump.sealed is missing or damaged"):
        read_manifest(folder)
    refused = _manage("restore", str(folder), database=empty_database, media=tmp_path / "restored-media")
    assert refused.returncode != 0
    assert "database.dump.sealed is missing or damaged" in refused.stderr
    assert _counts(empty_database) == {}
    assert not (tmp_path / "restored-media").exists()


def test_a_backup_without_its_key_is_not_written_and_another_key_cannot_restore_it(
    settings: Any, tmp_path: Path, alice: Any, empty_database: str
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="Set BACKUP_KEY"):
        call_command("backup", "--output", str(tmp_path / "none"), stdout=StringIO())
    assert not (tmp_path / "none").exists() or not any((tmp_path / "none").iterdir())
    settings.BACKUP_KEY = KEY
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    env_key = sealed.generate_key()
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _url(empty_database),
            "MEDIA_ROOT": str(tmp_path / "m"),
            "BACKUP_KEY": env_key,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "sealed with another BACKUP_KEY" in result.stderr
    assert _counts(empty_database) == {}
    generated = subprocess.run(
        [sys.executable, "manage.py", "backup", "--generate-key"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert len(sealed.read_key(generated.stdout.strip())) == 32


def test_a_sealed_file_cut_short_or_reordered_does_not_open() -> None:
    import io

    key = sealed.read_key(KEY)
    target = io.BytesIO()
    sealed.seal_stream([b"x" * (sealed.CHUNK * 2 + 10)], target, key=key, label="t")
    whole = target.getvalue()
    assert b"".join(sealed.open_stream(io.BytesIO(whole), key=key, label="t")) == b"x" * (sealed.CHUNK * 2 + 10)
    first_two = len(sealed.MAGIC) + 8 + 2 * (4 + sealed.CHUNK + 16)
    with pytest.raises(sealed.SealError):
        b"".join(sealed.open_stream(io.BytesIO(whole[:first_two]), key=key, label="t"))  # the last chunk dropped
    with pytest.raises(sealed.SealError):
        b"".join(sealed.open_stream(io.BytesIO(whole), key=key, label="other"))  # another file's label


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
