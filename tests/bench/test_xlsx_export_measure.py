"""The XLSX bench case measures the job's own peak memory, not the runner's (issue 34's "1 GB export")."""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = (
    "import json, resource; from bench.cases.xlsx_export import peak_kb; "
    "print(json.dumps({'peak_kb': peak_kb(), 'ru_maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
)


def test_a_job_started_by_a_grown_runner_reports_its_own_peak_not_the_runners() -> None:
    grown = bytearray(200 * 1024 * 1024)  # the runner after its earlier cases
    for at in range(0, len(grown), 4096):
        grown[at] = 1
    child = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    del grown
    measured = json.loads(child.stdout)
    assert measured["ru_maxrss_kb"] > 200 * 1024  # what the case reported until now: the runner's peak
    assert measured["peak_kb"] < 100 * 1024  # the child's own: a Python interpreter and one import
