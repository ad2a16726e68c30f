"""Backups of the database and the uploaded files, and their restore (README.md, "Backups").

A backup is a folder `<output>/<UTC time>/` (mode 0700, every file 0600) with four files, three of them sealed with
BACKUP_KEY (AES-256-GCM, core/ops/sealed.py; nothing personal is ever written in clear, not even for a moment):
- `database.dump.sealed`: `pg_dump --format=custom`, streamed through the cipher (restored with `pg_restore`);
- `media.tar.gz.sealed`: every file under MEDIA_ROOT;
- `index.json.sealed`: the row count of every table and the SHA-256 of every media file;
- `manifest.json`: the format, the key's fingerprint and the SHA-256 of the three sealed files (checked before
  anything is opened).
A folder of the previous, unsealed format (1) still restores.

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

from core.ops import sealed

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA_TAR = "media.tar.gz"
SEALED_DUMP = "database.dump.sealed"
SEALED_MEDIA = "media.tar.gz.sealed"
SEALED_INDEX = "index.json.sealed"
FORMAT = 2
FORMATS = {1, 2}  # 1: unsealed, before BACKUP_KEY
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


def backup_key() -> bytes:
    text = str(getattr(settings, "BACKUP_KEY", "") or "")
    if not text:
        raise BackupError(
            "Set BACKUP_KEY (32 random bytes, URL-safe base64: `manage.py backup --generate-key`) before backing up: "
            "backups hold every NIK and are only written sealed."
        )
    try:
        return sealed.read_key(text)
    except sealed.SealError as error:
        raise BackupError(str(error)) from None


def backup_create(*, output: Path) -> Path:
    """Write a sealed backup folder under `output` (0700, files 0600); returns it."""
    config = _database()
    key = backup_key()
    Path(output).mkdir(parents=True, exist_ok=True)
    folder = Path(output) / timezone.now().strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(mode=0o700, exist_ok=False)
    folder.chmod(0o700)
    args, env = _pg_args(config)
    with _snapshot(config) as (snapshot, counts):
        command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
            [*command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        dumped = process.stdout
        assert dumped is not None  # noqa: S101 - Popen with stdout=PIPE
        with _private_file(folder / SEALED_DUMP) as target:
            sealed.seal_stream(iter(lambda: dumped.read(1 << 20), b""), target, key=key, label=DUMP)
        _out, errors = process.communicate()
    if process.returncode != 0:
        raise BackupError(f"pg_dump failed: {errors.decode(errors='replace').strip()}")
    media_root = Path(settings.MEDIA_ROOT)
    files = _media_files(media_root)
    with _private_file(folder / SEALED_MEDIA) as target:
        writer = sealed.SealingWriter(target, key=key, label=MEDIA_TAR)
        with tarfile.open(fileobj=writer, mode="w|gz") as archive:  # type: ignore[call-overload]
            for name in files:
                archive.add(media_root / name, arcname=name, recursive=False)
        writer.close()
    index = json.dumps({"tables": counts, "files": files}, sort_keys=True).encode()
    with _private_file(folder / SEALED_INDEX) as target:
        sealed.seal_stream([index], target, key=key, label=SEALED_INDEX)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "key": sealed.key_id(key),
        "database": {"file": SEALED_DUMP, "sha256": sha256_of(folder / SEALED_DUMP)},
        "media": {"file": SEALED_MEDIA, "sha256": sha256_of(folder / SEALED_MEDIA)},
        "index": {"file": SEALED_INDEX, "sha256": sha256_of(folder / SEALED_INDEX)},
    }
    with _private_file(folder / MANIFEST) as target:
        target.write(json.dumps(manifest, indent=2, sort_keys=True).encode())
    return folder


@contextmanager
def _private_file(path: Path) -> Iterator[Any]:
    """A new file only its owner may read or write, from its first byte (O_EXCL: never an existing one)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        yield handle


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} is missing.")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") not in FORMATS:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for part in ("database", "media", "index") if manifest["format"] == 2 else ("database", "media"):
        file = Path(folder) / manifest[part]["file"]
        if not file.exists() or sha256_of(file) != manifest[part]["sha256"]:
            raise BackupError(f"{file.name} is missing or damaged: its checksum does not match the manifest.")
    return manifest


def backup_restore(*, folder: Path) -> RestoreSummary:
    """Restore a backup into the (empty) database and media folder of the current settings."""
    manifest = read_manifest(folder)
    key = b""
    if manifest["format"] == 2:
        key = backup_key()
        if sealed.key_id(key) != manifest.get("key"):
            raise BackupError("This backup was sealed with another BACKUP_KEY: set the key it was made with.")
        try:
            with (Path(folder) / SEALED_INDEX).open("rb") as source:
                index = json.loads(b"".join(sealed.open_stream(source, key=key, label=SEALED_INDEX)))
        except sealed.SealError as error:
            raise BackupError(str(error)) from None
        manifest["database"]["tables"], manifest["media"]["files"] = index["tables"], index["files"]
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

    try:
        _restore_files(Path(folder), manifest, config, key, media_root)
    except sealed.SealError as error:
        raise BackupError(str(error)) from None

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


def _restore_files(folder: Path, manifest: dict[str, Any], config: dict[str, Any], key: bytes, media: Path) -> None:
    """pg_restore the dump and unpack the media, opening sealed files as a stream (no clear copy on disk)."""
    args, env = _pg_args(config)
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    dump = folder / manifest["database"]["file"]
    if manifest["format"] == 1:
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [*command, *args, str(dump)], env=env, capture_output=True, text=True, check=False
        )
        code, errors = result.returncode, result.stderr
    else:
        process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
            [*command, *args], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdin is not None  # noqa: S101 - Popen with stdin=PIPE
        try:
            with dump.open("rb") as source:
                for chunk in sealed.open_stream(source, key=key, label=DUMP):
                    process.stdin.write(chunk)
        finally:
            _out, raw_errors = process.communicate()
        code, errors = process.returncode, raw_errors.decode(errors="replace")
    if code != 0:
        raise BackupError(f"pg_restore failed: {errors.strip()}")
    media.mkdir(parents=True, exist_ok=True)
    archive_path = folder / manifest["media"]["file"]
    if manifest["format"] == 1:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(media, filter="data")
        return
    with archive_path.open("rb") as source:
        reader = sealed.OpeningReader(source, key=key, label=MEDIA_TAR)
        with tarfile.open(fileobj=reader, mode="r|gz") as archive:  # type: ignore[call-overload]
            archive.extractall(media, filter="data")
