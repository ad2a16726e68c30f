"""The README's two commands on a bare machine: a fresh clone, a clean environment, cold package caches.

    python3.11 scripts/bare_machine.py            # `make run` until the first page answers, then `make test`
    python3.11 scripts/bare_machine.py --no-test  # the first page only

What "bare" means here: the clone of this repository's HEAD in a new folder (no .venv, no db.sqlite3), an
environment with only HOME, LANG and a PATH holding Python 3.11, make and the shell's basic tools (no git, no
poppler, zbar, gettext, Chromium, PostgreSQL or Redis on it), empty pip and uv caches, and pip's machine-wide
configuration ignored (no local wheel folders). The network's certificate settings are kept, nothing else. Prints
the seconds until `/` answered, the seconds of each phase, and `make test`'s summary line.

The shared libraries WeasyPrint loads (Pango, HarfBuzz) are not Python packages: a machine without them cannot
render PDFs (Dockerfile lists them); on Debian and Ubuntu desktops they are installed with the desktop.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Make's recipes and the shell need these; none is a package a newcomer would have to install.
BASE_TOOLS = ["sh", "bash", "env", "touch", "rm", "mkdir", "cat", "ls", "cp", "mv", "sleep", "uname", "dirname"]
KEPT = ["SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "PIP_CERT", "CURL_CA_BUNDLE"]


def bare_path(folder: Path, python: str) -> str:
    folder.mkdir(parents=True)
    for name in ["python3.11", "python3"]:
        (folder / name).symlink_to(python)
    for tool in ["make", *BASE_TOOLS]:
        found = shutil.which(tool)
        if found is None:
            raise SystemExit(f"{tool} not found on this machine")
        (folder / tool).symlink_to(found)
    return str(folder)


def bare_environment(work: Path, python: str, port: int) -> dict[str, str]:
    env = {key: os.environ[key] for key in KEPT if key in os.environ}
    env |= {
        "HOME": str(work / "home"),
        "LANG": "C.UTF-8",
        "PATH": bare_path(work / "bin", python),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_CACHE_DIR": str(work / "cache" / "pip"),
        "UV_CACHE_DIR": str(work / "cache" / "uv"),
        "CHROMIUM_PATH": str(work / "no-chromium"),
    }
    (work / "home").mkdir()
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def phases(log: str, started: float, stamps: dict[str, float]) -> None:
    """Remember when `make run` printed the start of each phase (the first line that names it)."""
    markers = {
        "install": "-m venv",
        "migrate": "manage.py migrate",
        "demo": "manage.py demo",
        "serve": "scripts/run_all.py",
    }
    for phase, marker in markers.items():
        if phase not in stamps and marker in log:
            stamps[phase] = time.monotonic() - started


def first_page(clone: Path, env: dict[str, str], port: int, limit: float) -> tuple[float, dict[str, float]]:
    started = time.monotonic()
    log_path = clone.parent / "make-run.log"
    with log_path.open("w") as log:
        run = subprocess.Popen(
            # The port on make's command line, not in the environment `make test` inherits (links in e-mails).
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stamps: dict[str, float] = {}
    try:
        while time.monotonic() - started < limit:
            phases(log_path.read_text(errors="replace"), started, stamps)
            if run.poll() is not None:
                raise SystemExit(f"make run stopped (exit {run.returncode}):\n{log_path.read_text()[-3000:]}")
            if answers(f"http://127.0.0.1:{port}/"):
                return time.monotonic() - started, stamps
            time.sleep(0.5)
        raise SystemExit(f"no page after {limit:.0f} s:\n{log_path.read_text()[-3000:]}")
    finally:
        stop(run)


def stop(run: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to `make run`'s whole process group (server, worker), as a person would; then kill what is left."""
    for sig, wait in ((signal.SIGINT, 30), (signal.SIGKILL, 5)):
        try:
            os.killpg(run.pid, sig)
        except ProcessLookupError:
            return
        try:
            run.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def make_test(clone: Path, env: dict[str, str]) -> tuple[float, int, str]:
    started = time.monotonic()
    done = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True, text=True)
    (clone.parent / "make-test.log").write_text(done.stdout + done.stderr)
    summaries = [line for line in done.stdout.splitlines() if re.match(r"^=+ .*\d+ (passed|failed)", line)]
    return time.monotonic() - started, done.returncode, summaries[-1] if summaries else done.stdout[-2000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-test", action="store_true", help="stop after the first page")
    parser.add_argument("--keep", action="store_true", help="keep the clone and its logs")
    parser.add_argument("--python", default=shutil.which("python3.11") or sys.executable)
    parser.add_argument("--limit", type=float, default=900, help="seconds to wait for the first page")
    args = parser.parse_args()
    python = str(Path(args.python).resolve())
    work = Path(tempfile.mkdtemp(prefix="halalmsi-bare-"))
    clone = work / "halalmsi"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = bare_environment(work, python, port)
    print(f"fresh clone of {ROOT.name} at {clone}; PATH has only {', '.join(sorted(os.listdir(env['PATH'])))}")
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, stamps = first_page(clone, env, port, args.limit)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(
            f"make run: first page (/) answered after {seconds:.0f} s ({cpu:.0f} CPU seconds; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        ordered = [*sorted(stamps.items(), key=lambda item: item[1]), ("first page", seconds)]
        for (name, start), (_, end) in zip(ordered, ordered[1:], strict=False):
            print(f"  {name:<8} {end - start:6.0f} s")
        if args.no_test:
            return 0
        seconds, code, summary = make_test(clone, env)
        print(f"make test: {seconds:.0f} s (load average {os.getloadavg()[0]:.1f}), exit {code}: {summary}")
        return code
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
