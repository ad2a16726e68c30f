"""gunicorn hooks for the web container (the options themselves are on the command line in docker-compose.yml).

Prometheus' multiprocess mode (core/ops/metrics.py): every worker writes its numbers to PROMETHEUS_MULTIPROC_DIR and a
scrape adds them up. The folder is emptied when gunicorn starts (numbers of a previous run would be added too), and a
worker that exits (`--max-requests` recycles them) is marked dead so its gauges stop counting.
"""

import glob
import os


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
