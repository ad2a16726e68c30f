"""Typed helpers for reading settings from the environment (a leaf module: imports no app)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}


def envbool(name: str, default: str, environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(name, default).strip().lower() in TRUE_WORDS


def envint(name: str, default: str, environ: Mapping[str, str] = os.environ) -> int:
    return int(environ.get(name, default))


def envlist(name: str, default: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    return [part.strip() for part in environ.get(name, default).split(",") if part.strip()]


def database_from_env(environ: Mapping[str, str], sqlite_path: str) -> dict[str, Any]:
    """PostgreSQL (or anything dj-database-url knows) from DATABASE_URL; a SQLite file otherwise."""
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            # SQLite serialises writers; wait for the lock instead of failing at once.
            "OPTIONS": {"timeout": 20},
        }
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", "60", environ)))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql" and not envbool("DB_JIT", "False", environ):
        # PostgreSQL's JIT compiles a query whose *estimated* cost is high; on the dashboard's and queue's queries
        # (estimates in the millions, real work in milliseconds) compiling cost 250-300 ms per query, more than the
        # query itself (measured). DB_JIT=True gives it back to the server's setting.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's default 4 MB per sort or hash spilled the dashboard's national aggregates to disk (an
        # "external merge" of 42 MB for the training coverage at 2,000,000 enrolments; bench/RESULTS.md).
        options = config.setdefault("OPTIONS", {})
        work_mem = environ.get("DB_WORK_MEM", "32MB")
        if work_mem:
            options["options"] = f"{options.get('options', '')} -c work_mem={work_mem}".strip()
        # SSD storage: PostgreSQL's default random_page_cost (4, for spinning disks) made it scan whole tables rather
        # than the dashboard's covering indexes. 1.1 is the usual setting for SSDs; DB_RANDOM_PAGE_COST= keeps the
        # server's own.
        page_cost = environ.get("DB_RANDOM_PAGE_COST", "1.1")
        if page_cost:
            options["options"] = f"{options['options']} -c random_page_cost={page_cost}".strip()
    return config


def file_storage_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Where uploaded and generated files live: local files under MEDIA_ROOT (the default), or an S3-compatible
    bucket (AWS S3, MinIO, Ceph, Garage...) when STORAGE_S3_BUCKET is set, so several hosts share the files.

    Files stay private either way: the bucket is never public (no ACL, signed URLs only) and every download still
    goes through the application's permission-checked views, which stream the object from the bucket.
    """
    bucket = environ.get("STORAGE_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": environ.get("STORAGE_S3_PREFIX", "").strip().strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": envint("STORAGE_S3_URL_SECONDS", "300", environ),
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": environ.get("STORAGE_S3_ADDRESSING", "path").strip() or "path",
    }
    for option, name in (
        ("endpoint_url", "STORAGE_S3_ENDPOINT_URL"),
        ("region_name", "STORAGE_S3_REGION"),
        ("access_key", "STORAGE_S3_ACCESS_KEY"),
        ("secret_key", "STORAGE_S3_SECRET_KEY"),
    ):
        value = environ.get(name, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def site_url_from(environ: Mapping[str, str], argv: list[str]) -> str:
    """The address people reach this server at, for links in e-mails, PDFs and QR codes (no trailing slash).

    SITE_URL when set (production sets it). Otherwise the development server's own address: `PORT` (as `make run`
    passes it), else the `runserver [addr:]port` argument, else port 8000; a wildcard address is shown as 127.0.0.1.
    """
    explicit = environ.get("SITE_URL", "").strip()
    if explicit:
        return explicit.rstrip("/")
    host, port = "127.0.0.1", environ.get("PORT", "").strip()
    if "runserver" in argv:
        after = argv[argv.index("runserver") + 1 :]
        addrport = next((arg for arg in after if not arg.startswith("-")), "")
        if addrport:
            address, _, given_port = addrport.rpartition(":")
            if not address and not given_port.isdigit():
                address, given_port = given_port, ""
            if address and address not in ("0.0.0.0", "0", "[::]", "::"):  # noqa: S104 - only read, not bound
                host = address
            port = given_port if given_port.isdigit() else port
    return f"http://{host}:{port or '8000'}"
