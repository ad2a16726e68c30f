"""Settings come from the environment: SQLite without DATABASE_URL, PostgreSQL with it; production is hardened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.env import database_from_env

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    " 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND}))"
)


def settings_under(**env: str) -> dict[str, object]:
    result = run_python(PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="halalmsi.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_database_url_it_uses_a_sqlite_file_eager_celery_and_console_email() -> None:
    values = settings_under()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_with_database_url_it_uses_postgresql_and_with_redis_url_a_real_broker() -> None:
    values = settings_under(
        DATABASE_URL="postgres://halal:secret@db.internal:5432/halalmsi", REDIS_URL="redis://cache.internal:6379/0"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "halalmsi"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/0"


def test_database_from_env_parses_host_port_and_credentials() -> None:
    config = database_from_env({"DATABASE_URL": "postgres://u:p@127.0.0.1:5433/x"}, "/tmp/unused.sqlite3")
    assert (config["HOST"], config["PORT"], config["USER"], config["PASSWORD"]) == ("127.0.0.1", 5433, "u", "p")


def test_postgresql_connections_turn_jit_off_unless_asked() -> None:
    url = "postgres://u:p@127.0.0.1:5433/x"
    options = database_from_env({"DATABASE_URL": url}, "/tmp/unused.sqlite3")["OPTIONS"]
    assert options == {"options": "-c jit=off -c work_mem=32MB -c random_page_cost=1.1"}
    kept = {"DATABASE_URL": url, "DB_JIT": "True", "DB_WORK_MEM": "", "DB_RANDOM_PAGE_COST": ""}
    assert "options" not in database_from_env(kept, "/x").get("OPTIONS", {})
    assert database_from_env({"DATABASE_URL": url, "DB_JIT": "True"}, "/x")["OPTIONS"] == {
        "options": "-c work_mem=32MB -c random_page_cost=1.1"
    }
    assert "options" not in database_from_env({}, "/tmp/unused.sqlite3")["OPTIONS"]


@pytest.mark.postgres
def test_the_postgresql_test_database_runs_without_jit(db: None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_secret_key_is_required_when_debug_is_off() -> None:
    result = run_python("import django; django.setup()", DJANGO_SETTINGS_MODULE="halalmsi.settings", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            },
            "DEBUG": "False",
            "SECRET_KEY": "x7!vQ2#mP9$kL4^nR8&tW1*zY6(bH3)jD5-fG0+sA2=cE7_uI9~oK1@pM4%wN8",
            "ALLOWED_HOSTS": "halal.lampungprov.go.id",
            "SITE_URL": "https://halal.lampungprov.go.id",
            "STATIC_MANIFEST": "False",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("name", ["TIME_ZONE", "LANGUAGE_CODE"])
def test_the_platform_speaks_indonesian_on_jakarta_time(name: str, settings: object) -> None:
    expected = {"TIME_ZONE": "Asia/Jakarta", "LANGUAGE_CODE": "id"}[name]
    assert getattr(settings, name) == expected
