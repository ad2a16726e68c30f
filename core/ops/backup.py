"""Backups of the database and the uploaded files, and their restore (README.md, "Backups").

A backup is a folder `<output>/<UTC time>/` with three files:
- `database.dump`: `pg_dump --format=custom` (restored with `pg_restore`, table by table, into an empty database);
- `media.tar.gz`: every file under MEDIA_ROOT;
- `manifest.json`: SHA-256 of both, the SHA-256 of every media file, and the row count of every table.

The row counts and the dump come from the same database snapshot (a REPEATABLE READ transaction exports its
snapshot and pg_dump reads through it), so they agree even while the platform keeps writing. A restore checks the
checksums first, refuses a database or media folder that is not empty, and after restoring compares every table's
row count and every file's checksum with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]
from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA_TAR = "media.tar.gz"
FORMAT = 1
PG_FALLBACK_BIN = Path("/usr/lib/postgresql/15/bin")


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int
    files: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PG_BIN_DIR when set, else PATH, else PostgreSQL 15's Debian folder."""
    folder = os.environ.get("PG_BIN_DIR", "")
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if found is None and (PG_FALLBACK_BIN / name).exists():
        found = str(PG_FALLBACK_BIN / name)
    if found is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client or set PG_BIN_DIR.")
    return found


def _database(alias: str = "default") -> dict[str, Any]:
    config = connections[alias].settings_dict
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups need PostgreSQL (DATABASE_URL); the development SQLite file is copied as it is.")
    return config


def _pg_args(config: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(config["NAME"])]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return args, env


def _connect(config: dict[str, Any]) -> Any:
    return psycopg2.connect(
        dbname=config["NAME"],
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
    )


def _tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor: Any) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue, quoted
        counts[table] = int(cursor.fetchone()[0])
    return counts


@contextmanager
def _snapshot(config: dict[str, Any]) -> Iterator[tuple[str, dict[str, int]]]:
    """An exported snapshot (for pg_dump --snapshot) and the row counts seen through it."""
    conn = _connect(config)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor)
        yield snapshot, counts
    finally:
        conn.rollback()
        conn.close()


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): sha256_of(path) for path in sorted(root.rglob("*")) if path.is_file()}


def backup_create(*, output: Path) -> Path:
    """Write a backup folder under `output`; returns it."""
    config = _database()
    folder = Path(output) / timezone.now().strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True, exist_ok=False)
    args, env = _pg_args(config)
    with _snapshot(config) as (snapshot, counts):
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={folder / DUMP}",
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    media_root = Path(settings.MEDIA_ROOT)
    files = _media_files(media_root)
    with tarfile.open(folder / MEDIA_TAR, "w:gz") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"file": DUMP, "sha256": sha256_of(folder / DUMP), "tables": counts},
        "media": {"file": MEDIA_TAR, "sha256": sha256_of(folder / MEDIA_TAR), "files": files},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} is missing.")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for part in ("database", "media"):
        file = Path(folder) / manifest[part]["file"]
        if not file.exists() or sha256_of(file) != manifest[part]["sha256"]:
            raise BackupError(f"{file.name} is missing or damaged: its checksum does not match the manifest.")
    return manifest


def backup_restore(*, folder: Path) -> RestoreSummary:
    """Restore a backup into the (empty) database and media folder of the current settings."""
    manifest = read_manifest(folder)
    config = _database()
    conn = _connect(config)
    try:
        with conn.cursor() as cursor:
            existing = _tables(cursor)
    finally:
        conn.close()
    if existing:
        raise BackupError(
            f"The database {config['NAME']} is not empty ({len(existing)} tables): restore into a new, empty database."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty: restore into an empty folder.")

    args, env = _pg_args(config)
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(Path(folder) / DUMP),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(folder) / MEDIA_TAR, "r:gz") as archive:
        archive.extractall(media_root, filter="data")

    conn = _connect(config)
    try:
        with conn.cursor() as cursor:
            counts = row_counts(cursor)
    finally:
        conn.close()
    expected = manifest["database"]["tables"]
    if counts != expected:
        differing = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"Row counts differ from the manifest after the restore: {', '.join(differing)}.")
    restored = _media_files(media_root)
    if restored != manifest["media"]["files"]:
        raise BackupError("Media files differ from the manifest after the restore.")
    return RestoreSummary(tables=len(counts), rows=sum(counts.values()), files=len(restored))
