"""Prometheus metrics: request latency by view, Celery task durations, failures and retries, queue lengths.

Served at /metrics (core/ops/observability.py) to the networks in settings.METRICS_ALLOWED_NETWORKS only. Under gunicorn
or a prefork Celery worker every process keeps its own numbers; with PROMETHEUS_MULTIPROC_DIR set (compose does)
they are written to files there and one scrape adds them up (prometheus_client's multiprocess mode). The worker
serves its numbers on WORKER_METRICS_PORT (internal network only). Queue lengths are read from the broker at
scrape time.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import redis
from celery.signals import task_failure, task_postrun, task_prerun, task_retry, worker_process_shutdown, worker_ready
from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "halalmsi_http_request_duration_seconds",
    "Time from the first middleware to the response, by view (URL name), method and status class.",
    ["view", "method", "status"],
)
TASK_DURATION = Histogram(
    "halalmsi_celery_task_duration_seconds",
    "Run time of a Celery task, by task name and final state.",
    ["task", "state"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
TASK_FAILURES = Counter(
    "halalmsi_celery_task_failures", "Celery tasks that failed for good, by task and exception.", ["task", "exception"]
)
TASK_RETRIES = Counter("halalmsi_celery_task_retries", "Celery task retries, by task.", ["task"])

CONTENT_TYPE = CONTENT_TYPE_LATEST
_started: dict[str, float] = {}


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(view, method, f"{status // 100}xx").observe(seconds)


# --- Queue lengths, read from the broker when scraped ---------------------------------------------------------------
PRIORITY_SEPARATOR = "\x06\x16"  # kombu's Redis transport keeps priorities 3, 6, 9 in lists named queue + this + n


class QueueLengthCollector(Collector):
    """`halalmsi_celery_queue_length{queue}`: messages waiting in each queue (only with a Redis broker)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        url = settings.REDIS_URL
        if not url:
            return
        family = GaugeMetricFamily(
            "halalmsi_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
            pipe = client.pipeline(transaction=False)
            for queue in settings.TASK_QUEUE_NAMES:
                pipe.llen(queue)
                for priority in (3, 6, 9):
                    pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{priority}")
            lengths = pipe.execute()
        except redis.RedisError:
            logger.warning("Queue lengths could not be read from the broker")
            return
        per_queue = 4
        for index, queue in enumerate(settings.TASK_QUEUE_NAMES):
            family.add_metric([queue], float(sum(lengths[index * per_queue : (index + 1) * per_queue])))
        yield family


_queue_collector = QueueLengthCollector()


def _multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def registry() -> CollectorRegistry:
    """This process's metrics, or every process's when running in multiprocess mode, plus the queue lengths."""
    if _multiprocess():
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        combined.register(_queue_collector)
        return combined
    return REGISTRY


if not _multiprocess():
    REGISTRY.register(_queue_collector)


def exposition() -> bytes:
    return generate_latest(registry())


# --- Celery tasks: durations, failures and retries (recorded where the task runs; eagerly, in the web process) -----
@task_prerun.connect
def _task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    started = _started.pop(task_id or "", None)
    if started is not None and task is not None:
        TASK_DURATION.labels(task.name, state or "UNKNOWN").observe(time.perf_counter() - started)


@task_failure.connect
def _task_failed(sender: Any = None, exception: BaseException | None = None, **_: Any) -> None:
    TASK_FAILURES.labels(getattr(sender, "name", "?"), type(exception).__name__).inc()


@task_retry.connect
def _task_retried(sender: Any = None, **_: Any) -> None:
    TASK_RETRIES.labels(getattr(sender, "name", "?")).inc()


# --- The worker's own endpoint -----------------------------------------------------------------------------------
def start_worker_metrics_server(port: int, addr: str = "127.0.0.1") -> Any:
    """Serve this worker's metrics (all its pool processes) on `addr:port`; returns the server (tests stop it).

    The endpoint has no access check of its own: it listens on 127.0.0.1 unless WORKER_METRICS_ADDR names another
    address (compose: 0.0.0.0 inside the container, reached on the private network only, never published)."""
    server, _thread = start_http_server(port, addr=addr, registry=registry())
    return server


@worker_ready.connect
def _worker_metrics(**_: Any) -> None:
    """In the worker's main process, once its pool runs (compose empties PROMETHEUS_MULTIPROC_DIR before starting)."""
    port = int(os.environ.get("WORKER_METRICS_PORT", "0") or 0)
    if port:
        start_worker_metrics_server(port, addr=os.environ.get("WORKER_METRICS_ADDR", "").strip() or "127.0.0.1")


@worker_process_shutdown.connect
def _worker_process_gone(pid: int | None = None, **_: Any) -> None:
    if _multiprocess() and pid:
        multiprocess.mark_process_dead(pid)
