"""The production stack as files: docker-compose.yml, the nginx proxy, the Dockerfile and .dockerignore.

There is no Docker engine in CI, so `docker compose config` cannot run: the compose file is parsed (PyYAML resolves
its anchors and merge keys as compose does) and each property the deployment relies on is checked here.
"""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = compose["services"]
    return result


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else str(command)


def test_the_dockerignore_keeps_secrets_databases_uploads_and_history_out_of_the_image() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    for entry in (".venv", "db.sqlite3", "media", ".env", ".git", "test-artifacts", "staticfiles", "bench/out"):
        assert entry in ignored, entry
    assert "!.env.example" in ignored  # the template may go in; it holds no secret


def test_web_has_no_host_port_so_it_scales(services: dict[str, Any]) -> None:
    assert "ports" not in services["web"]
    assert "container_name" not in services["web"]
    assert services["web"]["expose"] == ["8000"]


def test_a_reverse_proxy_with_tls_is_the_only_public_door(services: dict[str, Any]) -> None:
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert sorted(proxy["ports"]) == ["443:443", "80:80"]
    mounts = proxy["volumes"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in mounts
    assert "./deploy/tls:/etc/nginx/tls:ro" in mounts
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_proxy_config_terminates_tls_passes_the_client_address_and_hides_metrics() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"listen 443 ssl", conf)
    assert "ssl_certificate     /etc/nginx/tls/fullchain.pem;" in conf
    assert "return 301 https://$host$request_uri;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "resolver 127.0.0.11" in conf  # re-resolves `web`: scaled replicas join without a reload
    public = conf.split("listen 443 ssl", 1)[1].split("server {", 1)[0]
    assert "location = /metrics { return 404; }" in public
    assert "listen 9100;" not in conf  # a scrape through the proxy would alternate replicas: none is offered


def test_web_worker_and_beat_have_healthchecks(services: dict[str, Any]) -> None:
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web
    worker = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping" in worker and "celery@$$HOSTNAME" in worker
    beat = " ".join(services["beat"]["healthcheck"]["test"])
    assert "/tmp/beat-heartbeat" in beat and "getmtime" in beat
    assert services["beat"]["environment"]["BEAT_HEARTBEAT_FILE"] == "/tmp/beat-heartbeat"
    for name in (*APP_SERVICES, "proxy", "postgres", "redis-broker", "redis-cache"):
        assert services[name]["healthcheck"]["interval"], name


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_start_after_migrate_completed_successfully(services: dict[str, Any], name: str) -> None:
    depends = services[name]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    assert "migrate" in command_of(services["migrate"])


def test_broker_and_cache_are_separate_redis_roles(services: dict[str, Any]) -> None:
    broker = command_of(services["redis-broker"])
    cache = command_of(services["redis-cache"])
    assert "--maxmemory-policy noeviction" in broker and "--appendonly yes" in broker
    assert "--maxmemory-policy allkeys-lru" in cache and re.search(r"--maxmemory \d+mb", cache)
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["REDIS_URL"] == "redis://redis-broker:6379/0"
        assert env["CACHE_URL"] == "redis://redis-cache:6379/0"


def test_the_app_trusts_exactly_the_one_proxy_in_front_of_it(services: dict[str, Any], compose: dict[str, Any]) -> None:
    address = services["proxy"]["networks"]["backend"]["ipv4_address"]
    for name in APP_SERVICES:
        assert services[name]["environment"]["TRUSTED_PROXIES"] == f"{address}/32"
    # the fixed address lies outside the range Docker hands out to the other containers
    pool = compose["networks"]["backend"]["ipam"]["config"][0]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(pool["subnet"])
    assert ipaddress.ip_address(address) not in ipaddress.ip_network(pool["ip_range"])


def test_gunicorn_has_an_explicit_timeout_and_recycles_its_workers(services: dict[str, Any]) -> None:
    command = command_of(services["web"])
    assert re.search(r"--timeout=\d+", command)
    assert re.search(r"--max-requests=\d+", command) and re.search(r"--max-requests-jitter=\d+", command)
    assert "--config=deploy/gunicorn.conf.py" in command
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--timeout=120" in dockerfile and "--max-requests=1000" in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump and pg_restore for the backup commands


def test_the_worker_serves_every_queue_and_metrics_on_the_internal_network(services: dict[str, Any]) -> None:
    from django.conf import settings

    command = command_of(services["worker"])
    queues = re.search(r"--queues=([\w,]+)", command)
    assert queues is not None and set(queues.group(1).split(",")) == set(settings.TASK_QUEUE_NAMES)
    assert services["worker"]["environment"]["WORKER_METRICS_PORT"] == "9808"
    assert "ports" not in services["worker"]
    for name in ("web", "worker"):
        assert services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus"


def test_metrics_are_allowed_from_the_private_network_only(compose: dict[str, Any], services: dict[str, Any]) -> None:
    subnet = compose["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    for name in APP_SERVICES:
        assert services[name]["environment"]["METRICS_ALLOWED_NETWORKS"] == subnet


def test_the_backup_service_is_an_opt_in_operation(services: dict[str, Any]) -> None:
    backup = services["backup"]
    assert backup["profiles"] == ["ops"]
    assert command_of(backup) == "python manage.py backup --output /backups"
    assert "./backups:/backups" in backup["volumes"]


def test_the_readme_production_section_matches_the_compose_file(services: dict[str, Any]) -> None:
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Production", 1)[1]
    for phrase in (
        "docker compose up -d --scale web=3",
        "deploy/tls/fullchain.pem",
        "`TRUSTED_PROXIES`",
        "`CACHE_URL`",
        "noeviction",
        "allkeys-lru",
        "`METRICS_ALLOWED_NETWORKS`",
        "`SENTRY_DSN`",
        "`AUDIT_CHAIN_KEY`",
        "manage.py backup",
        "manage.py restore",
        "manage.py verify_chains",
        "--queues=mail",
    ):
        assert phrase in production, phrase
    for name in services:
        assert f"`{name}`" in production, name


ROLES_PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND, s.CACHES['default'].get('LOCATION'), "
    "s.CACHE_URL, s.CELERY_TASK_ALWAYS_EAGER]))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["memory://", "cache+memory://", None, "", True]),  # the embedded default: no service at all
        (
            {"REDIS_URL": "redis://broker:6379/0"},
            ["redis://broker:6379/0", "redis://broker:6379/0", "redis://broker:6379/0", "redis://broker:6379/0", False],
        ),
        (
            {"REDIS_URL": "redis://broker:6379/0", "CACHE_URL": "redis://cache:6379/0"},
            ["redis://broker:6379/0", "redis://broker:6379/0", "redis://cache:6379/0", "redis://cache:6379/0", False],
        ),
    ],
)
def test_settings_give_the_broker_and_the_cache_their_own_redis(env: dict[str, str], expected: list[Any]) -> None:
    from tests.core.test_settings import run_python

    result = run_python(ROLES_PROBE, **{"DJANGO_SETTINGS_MODULE": "halalmsi.settings", "CACHE_URL": "", **env})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


def test_worker_metrics_listen_on_loopback_unless_told_otherwise(services: dict[str, Any]) -> None:
    import socket

    from core.ops import metrics

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = metrics.start_worker_metrics_server(port)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.shutdown()
        server.server_close()
    assert services["worker"]["environment"]["WORKER_METRICS_ADDR"] == "0.0.0.0"  # noqa: S104 - the private network
    assert "ports" not in services["worker"]


def test_each_gunicorn_master_has_its_own_control_socket_and_json_log_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    monkeypatch.setenv("LOG_FORMAT", "json")
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    import os
    import socket

    assert conf["control_socket"] == f"/tmp/gunicorn-{socket.gethostname()}-{os.getpid()}.ctl"
    formatter = conf["logconfig_dict"]["formatters"]["main"]
    assert formatter["()"] == "core.ops.logformat.ZonedJsonFormatter"
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/run/web-1.ctl")
    assert runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["control_socket"] == "/run/web-1.ctl"


def test_json_log_timestamps_carry_their_zone() -> None:
    import logging

    from core.ops.logformat import ZonedJsonFormatter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.created = 0.0
    line = json.loads(ZonedJsonFormatter("%(asctime)s %(message)s", rename_fields={"asctime": "time"}).format(record))
    assert line == {"time": "1970-01-01T00:00:00.000+00:00", "message": "hello"}


def test_timeouts_agree_across_readme_compose_dockerfile_and_the_proxy(services: dict[str, Any]) -> None:
    timeout = int(re.search(r"--timeout=(\d+)", command_of(services["web"])).group(1))  # type: ignore[union-attr]
    assert f'"--timeout={timeout}"' in (ROOT / "Dockerfile").read_text()
    readme = (ROOT / "README.md").read_text()
    assert f"--timeout={timeout}" in readme and "--timeout=60" not in readme
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    read = int(re.search(r"proxy_read_timeout (\d+)s;", conf.split("listen 443 ssl", 1)[1]).group(1))  # type: ignore[union-attr]
    assert read > timeout


def test_the_proxy_is_healthy_only_while_a_web_replica_is() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    plain = conf.split("listen 80 default_server;", 1)[1].split("listen 443", 1)[0]
    health = plain.split("location = /healthz", 1)[1].split("}", 1)[0]
    assert "proxy_pass $web;" in health and "return 200" not in health


def test_the_replica_profile_adds_a_streaming_replica_and_pgbouncer_in_transaction_mode(
    services: dict[str, Any],
) -> None:
    replica, pooler = services["postgres-replica"], services["pgbouncer"]
    assert replica["profiles"] == ["replica"] and pooler["profiles"] == ["replica"]
    assert "pg_basebackup" in command_of(replica) and " -R " in command_of(replica)
    assert pooler["environment"]["POOL_MODE"] == "transaction"
    assert "halalmsi_replica=" in pooler["environment"]["DATABASE_URLS"]
    for name in APP_SERVICES:
        assert "replica" not in services[name].get("profiles", [])  # the app runs with or without it


def test_the_readmes_queue_split_consumes_every_queue() -> None:
    from django.conf import settings

    section = (ROOT / "README.md").read_text().split("### Queues", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    consumed = {queue for match in re.findall(r"--queues=([\w,]+)", section) for queue in match.split(",") if queue}
    assert consumed == set(settings.TASK_QUEUE_NAMES)
