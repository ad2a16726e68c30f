"""Run wrk (Debian package) against one URL on 127.0.0.1 and parse its output."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# wrk's --latency table has no p95: the done() hook prints the percentiles we need, in microseconds.
LUA_TEMPLATE = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_LATENCY_US p50=%d p95=%d p99=%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  io.write(string.format("BENCH_SUMMARY requests=%d duration_us=%d socket_errors=%d non2xx=%d\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    socket_errors: int
    non2xx: int

    @property
    def clean(self) -> bool:
        return self.requests > 0 and self.socket_errors == 0 and self.non2xx == 0


def lua_script(method: str = "GET", body: str | None = None, headers: dict[str, str] | None = None) -> str:
    lines = [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()]
    return LUA_TEMPLATE.format(
        method=json.dumps(method), body="nil" if body is None else json.dumps(body), headers="\n".join(lines)
    )


SUMMARY_RE = re.compile(r"BENCH_SUMMARY requests=(\d+) duration_us=(\d+) socket_errors=(\d+) non2xx=(\d+)")
LATENCY_RE = re.compile(r"BENCH_LATENCY_US p50=(\d+) p95=(\d+) p99=(\d+)")
RPS_RE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)


def parse_wrk(output: str) -> WrkResult:
    """Requests/s from wrk's own line; percentiles and error counts from our done() hook."""
    rps = RPS_RE.search(output)
    latency = LATENCY_RE.search(output)
    summary = SUMMARY_RE.search(output)
    if not (rps and latency and summary):
        raise ValueError(f"Unexpected wrk output:\n{output}")
    p50, p95, p99 = (int(value) / 1000 for value in latency.groups())
    requests, _duration, socket_errors, non2xx = (int(value) for value in summary.groups())
    return WrkResult(float(rps.group(1)), p50, p95, p99, requests, socket_errors, non2xx)


def run_wrk(
    url: str,
    *,
    seconds: int,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str] | None = None,
    threads: int = 2,
    connections: int = 16,
) -> WrkResult:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("The load generator only targets 127.0.0.1.")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bench.lua"
        script.write_text(lua_script(method, body, headers))
        completed = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    return parse_wrk(completed.stdout)
