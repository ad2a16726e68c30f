"""Observability: request ids on answers, log lines and Celery tasks; JSON logs; optional Sentry; Prometheus metrics
on an endpoint only internal networks may read; /healthz and /metrics whatever the Host header."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client, override_settings

from core.ops import metrics
from core.ops.requestid import RequestIdFilter, request_id_var
from core.tasks import ping
from halalmsi.celery import app as celery_app
from tests.core.test_queues import always_fails
from tests.core.test_settings import ROOT, run_python


def json_handler() -> tuple[logging.Handler, StringIO]:
    """A handler built from settings.LOGGING's JSON formatter and request-id filter, writing to a buffer."""
    config = django_settings.LOGGING["formatters"]["json"]
    from pythonjsonlogger.json import JsonFormatter

    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(config["fmt"], rename_fields=config["rename_fields"]))
    handler.addFilter(RequestIdFilter())
    return handler, stream


@pytest.fixture
def captured_logs(settings: Any) -> Any:
    settings.LOG_REQUESTS = True
    handler, stream = json_handler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    finally:
        root.removeHandler(handler)


# --- Request ids ------------------------------------------------------------------------------------------------------
def test_every_answer_carries_a_request_id_made_here_or_taken_from_the_proxy(db: None) -> None:
    made = Client().get("/")["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert Client().get("/", HTTP_X_REQUEST_ID="nginx-5f3a9c0d1e2b").get("X-Request-ID") == "nginx-5f3a9c0d1e2b"


@pytest.mark.parametrize("sent", ["short", "x" * 200, "has spaces in it", "quote\"and'newline\n", "<script>x</script>"])
def test_a_request_id_that_is_not_a_plain_token_is_replaced(db: None, sent: str) -> None:
    answered = Client().get("/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert answered != sent and len(answered) == 32


def test_log_lines_of_a_request_are_json_with_its_request_id(db: None, captured_logs: Any) -> None:
    response = Client().get("/nowhere/", HTTP_X_REQUEST_ID="req-0123456789abcdef")
    assert response.status_code == 404
    lines = captured_logs()
    access = [line for line in lines if line["logger"] == "halalmsi.request"]
    assert access and access[-1]["request_id"] == "req-0123456789abcdef"
    assert (access[-1]["method"], access[-1]["path"], access[-1]["status"]) == ("GET", "/nowhere/", 404)
    assert "duration_ms" in access[-1] and access[-1]["level"] == "INFO"
    warning = [line for line in lines if line["logger"] == "django.request"]
    assert warning and warning[-1]["request_id"] == "req-0123456789abcdef"  # Django's own 404 line too


def test_a_task_sent_during_a_request_logs_with_the_requests_id(db: None, captured_logs: Any) -> None:
    request_id_var.set("req-task-0123456789")
    logging.getLogger("tests").info("before the task")
    ping.delay("eager")  # eager: runs here, in the request's context
    assert {line["request_id"] for line in captured_logs()} == {"req-task-0123456789"}


def test_the_request_id_travels_to_the_worker_in_a_message_header() -> None:
    from core.ops.observability import TASK_HEADER, _send_request_id

    request_id_var.set("req-header-0123456789")
    headers: dict[str, Any] = {}
    _send_request_id(headers=headers)
    assert headers == {TASK_HEADER: "req-header-0123456789"}
    request_id_var.set("-")
    untouched: dict[str, Any] = {}
    _send_request_id(headers=untouched)  # beat and other senders without a request add nothing
    assert untouched == {}


@pytest.mark.redis
@pytest.mark.postgres
def test_a_real_worker_logs_the_task_with_the_request_id_of_its_sender(transactional_db: None, tmp_path: Path) -> None:
    db = django_settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
        "DJANGO_SETTINGS_MODULE": "halalmsi.settings",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "halalmsi", "worker", "--pool=solo", "-Q", queue, "-l", "INFO",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            request_id_var.set("req-worker-0123456789")
            assert ping.apply_async(args=["traced"], queue=queue).get(timeout=60) == "traced"
        finally:
            process.terminate()
            process.wait(timeout=20)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    done = [r for r in records if "succeeded" in r.get("message", "") and "core.ping" in r["message"]]
    assert done and done[0]["request_id"] == "req-worker-0123456789"


def test_production_logs_are_json_lines() -> None:
    code = (
        "import django, logging; django.setup(); "
        "from core.ops.requestid import request_id_var; request_id_var.set('req-prod-0123456789'); "
        "logging.getLogger('halalmsi').warning('hello')"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="halalmsi.settings",
        DEBUG="False",
        SECRET_KEY="x7!vQ2#mP9$kL4^nR8&tW1*zY6(bH3)jD5-fG0+sA2=cE7_uI9~oK1@pM4%wN8",
        ALLOWED_HOSTS="halal.example.id",
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["message"], line["level"], line["logger"], line["request_id"]) == (
        "hello",
        "WARNING",
        "halalmsi",
        "req-prod-0123456789",
    )


# --- Sentry ---------------------------------------------------------------------------------------------------
SENTRY_PROBE = (
    "import django, json, sys; django.setup(); import halalmsi.urls; "
    "loaded = 'sentry_sdk' in sys.modules; active = False; tag = None\n"
    "if loaded:\n"
    "    import sentry_sdk; active = sentry_sdk.get_client().is_active()\n"
    "    from core.ops.sentry import tag_request_id; from core.ops.requestid import request_id_var\n"
    "    request_id_var.set('req-sentry-0123456789'); tag = tag_request_id({}, None)['tags']['request_id']\n"
    "print(json.dumps([loaded, active, tag]))"
)


def test_sentry_is_not_even_loaded_without_a_dsn() -> None:
    result = run_python(SENTRY_PROBE, DJANGO_SETTINGS_MODULE="halalmsi.settings", SENTRY_DSN="")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, False, None]


def test_sentry_reports_with_the_request_id_when_a_dsn_is_set() -> None:
    result = run_python(
        SENTRY_PROBE, DJANGO_SETTINGS_MODULE="halalmsi.settings", SENTRY_DSN="http://public@127.0.0.1:9/1"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, "req-sentry-0123456789"]


# --- Metrics --------------------------------------------------------------------------------------------------
def scrape(**meta: Any) -> Any:
    return Client().get("/metrics", **meta)


def sample(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_show_request_latency_by_view(db: None) -> None:
    before = sample(scrape().content.decode(), "halalmsi_http_request_duration_seconds_count", view="landing") or 0
    Client().get("/")
    text = scrape().content.decode()
    assert sample(text, "halalmsi_http_request_duration_seconds_count", view="landing", method="GET", status="2xx") == (
        before + 1
    )
    assert sample(text, "halalmsi_http_request_duration_seconds_bucket", view="landing", le="+Inf") == before + 1


def test_metrics_show_task_durations_and_failures(db: None) -> None:
    celery_app.conf.task_eager_propagates = False
    ping.delay("counted")
    always_fails.delay(3)
    text = scrape().content.decode()
    assert (sample(text, "halalmsi_celery_task_duration_seconds_count", task="core.ping", state="SUCCESS") or 0) >= 1
    failures = sample(text, "halalmsi_celery_task_failures_total", task="tests.always_fails", exception="ValueError")
    assert failures is not None and failures >= 1


@pytest.mark.redis
def test_metrics_show_the_length_of_each_queue(db: None, settings: Any) -> None:
    queue = f"test-queue-{uuid.uuid4().hex[:8]}"
    settings.TASK_QUEUE_NAMES = (queue,)
    broker = redis.Redis.from_url(settings.REDIS_URL)
    try:
        for _ in range(3):
            ping.apply_async(args=["waits"], queue=queue)
        assert sample(scrape().content.decode(), "halalmsi_celery_queue_length", queue=queue) == 3.0
    finally:
        broker.delete(queue)


@pytest.mark.parametrize(
    ("allowed", "meta", "status"),
    [
        (["127.0.0.1/32"], {"REMOTE_ADDR": "127.0.0.1"}, 200),
        (["127.0.0.1/32"], {"REMOTE_ADDR": "203.0.113.5"}, 403),
        (["172.30.0.0/16"], {"REMOTE_ADDR": "172.30.0.9"}, 200),
        # Through the public proxy: the proxy is on the private network, the client it vouches for is not.
        (["172.30.0.0/16"], {"REMOTE_ADDR": "172.30.200.10", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, 403),
        (["172.30.0.0/16"], {"REMOTE_ADDR": "172.30.200.10", "HTTP_X_FORWARDED_FOR": "172.30.0.9, 203.0.113.5"}, 403),
        # Prometheus through the proxy's internal port.
        (["172.30.0.0/16"], {"REMOTE_ADDR": "172.30.200.10", "HTTP_X_FORWARDED_FOR": "172.30.0.9"}, 200),
        # Straight to gunicorn from outside, with a forged header naming an allowed address: refused.
        (["172.30.0.0/16"], {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "172.30.0.9"}, 403),
        (["127.0.0.1/32"], {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}, 403),
    ],
)
def test_metrics_are_refused_outside_the_allowed_networks(
    db: None, settings: Any, allowed: list[str], meta: dict[str, str], status: int
) -> None:
    settings.METRICS_ALLOWED_NETWORKS = allowed
    settings.TRUSTED_PROXIES = ["172.30.200.10/32"]  # compose's nginx
    response = scrape(**meta)
    assert response.status_code == status
    assert (b"halalmsi_http_request_duration_seconds" in response.content) == (status == 200)


def test_the_worker_serves_its_own_metrics(db: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = metrics.start_worker_metrics_server(port, addr="127.0.0.1")
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()  # noqa: S310
    finally:
        server.shutdown()
    assert "halalmsi_celery_task_duration_seconds" in body


MULTIPROCESS_PROBE = """
import django, multiprocessing
django.setup()
from core.ops import metrics
def serve():
    metrics.observe_request("landing", "GET", 200, 0.01)
workers = [multiprocessing.get_context("fork").Process(target=serve) for _ in range(3)]
[w.start() for w in workers]; [w.join() for w in workers]
print(metrics.exposition().decode())
"""


def test_gunicorn_workers_numbers_add_up_in_one_scrape(tmp_path: Path) -> None:
    result = run_python(
        MULTIPROCESS_PROBE, DJANGO_SETTINGS_MODULE="halalmsi.settings", PROMETHEUS_MULTIPROC_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert sample(result.stdout, "halalmsi_http_request_duration_seconds_count", view="landing") == 3.0


# --- Internal endpoints whatever the Host ----------------------------------------------------------------------------
@override_settings(ALLOWED_HOSTS=["halal.example.id"], SECURE_SSL_REDIRECT=True, DEBUG=False)
def test_healthz_answers_a_container_healthcheck_whose_host_is_not_allowed(db: None) -> None:
    client = Client(HTTP_HOST="127.0.0.1:8000")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"
    assert client.get("/").status_code == 400  # every other page still checks the host
    assert Client(HTTP_HOST="web:8000").get("/metrics").status_code == 200


def test_the_internal_endpoints_are_cheap_to_reach_and_are_not_logged(db: None, captured_logs: Any) -> None:
    start = time.perf_counter()
    assert Client().get("/healthz").status_code == 200
    assert time.perf_counter() - start < 5
    assert not [line for line in captured_logs() if line["logger"] == "halalmsi.request"]


# --- Sentry scrubs personal data (a local Sentry-compatible receiver) -------------------------------------------
PERSONAL = {
    "nik": "1871014506850002",
    "nama": "Siti Aminah Rahmawati",
    "telepon": "0812-3456-7890",
    "surel": "siti.aminah@example.test",
    "catatan": "NIK suami 3273010101000001, WA 081298765432",
}
FAILING_REQUEST = (
    "import django, json, sys; django.setup()\n"
    "from django.conf import settings; settings.ROOT_URLCONF = 'tests.core.sentry_probe_urls'\n"
    "import sentry_sdk; from django.test import Client\n"
    "client = Client(raise_request_exception=False, HTTP_AUTHORIZATION='Token abcdef0123456789')\n"
    f"answer = client.post('/boom/', {PERSONAL!r})\n"
    "sentry_sdk.flush(10); print(answer.status_code)"
)


def test_an_error_event_arrives_at_sentry_without_the_nik_name_phone_e_mail_or_token() -> None:
    from tests.core.sentry_server import sentry_receiver

    for receiver in sentry_receiver():
        result = run_python(FAILING_REQUEST, DJANGO_SETTINGS_MODULE="halalmsi.settings", SENTRY_DSN=receiver.dsn)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "500"
        assert len(receiver.events) == 1, receiver.raw
        event = receiver.events[0]
        text = json.dumps(event) + b"".join(receiver.raw).decode("utf-8", "replace")
        for secret in [
            "1871014506850002",
            "3273010101000001",
            "Siti Aminah",
            "siti.aminah@example.test",
            "0812-3456-7890",
            "081298765432",
            "812-3456-7890",
            "abcdef0123456789",
        ]:
            assert secret not in text, secret
        # still an event worth reading: the error, where it happened, which request, and what was removed
        exception = event["exception"]["values"][-1]
        assert exception["type"] == "ValueError" and "[NIK]" in exception["value"]
        frame = exception["stacktrace"]["frames"][-1]
        assert frame["function"] == "boom"
        assert frame["vars"]["person"]["nik"] == "[Filtered]" and frame["vars"]["identity"] in {"[NIK]", "[Filtered]"}
        assert event["transaction"] == "/boom/" and event["request"]["data"]["nik"] == "[Filtered]"
        assert event["tags"]["request_id"]
