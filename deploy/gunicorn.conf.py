"""gunicorn settings and hooks for the web container (the options that size it are on the command line, in the
Dockerfile's CMD and docker-compose.yml's web service).

- Logs: gunicorn's own lines (start, workers booted, timeouts, signals) are JSON with a zoned timestamp when
  LOG_FORMAT=json (the default with DEBUG off), like the application's (core/ops/logformat.py).
- The control socket (`gunicornc`) is one per master: GUNICORN_CONTROL_SOCKET, else a path naming the host and the
  master's pid, so two replicas on one host (or two gunicorns in one container's /tmp) never share one.
- Prometheus' multiprocess mode (core/ops/metrics.py): every worker writes its numbers to PROMETHEUS_MULTIPROC_DIR and
  a scrape of this replica adds them up. The folder is emptied when gunicorn starts (numbers of a previous run would
  be added too), and a worker that exits (`--max-requests` recycles them) is marked dead so its gauges stop counting.
"""

import glob
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from core.ops.logformat import gunicorn_logconfig  # noqa: E402 - after the project root is on the path

_debug = os.environ.get("DEBUG", "True").strip().lower() in {"1", "true", "yes", "on"}
logconfig_dict = gunicorn_logconfig(os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json")
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or f"/tmp/gunicorn-{socket.gethostname()}-{os.getpid()}.ctl"  # noqa: S108


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for path in glob.glob(os.path.join(folder, "*.db")):
            os.remove(path)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
