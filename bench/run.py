"""Entry point: `python -m bench [--quick] [--no-seed] [--no-http] [--only a,b] [--results]`.

1. Points Django at the bench database (created if missing), migrates, loads the demo users, collects static files.
2. Tops the synthetic data up to the wanted sizes with `seed_bulk` (a second run seeds nothing).
3. Starts gunicorn (2 sync workers, DEBUG off, Redis cache, throttles raised, /bench/ baselines) on 127.0.0.1.
4. Runs each case in bench/cases/ and prints the table; --results also writes bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import platform
import shlex
import subprocess
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

from bench.report import FAIL, Row, format_markdown, format_table
from bench.server import Server, server_env
from bench.support import FULL, NATIONAL, QUICK, Context, Sizes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/halalmsi_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
NOTES_MARKER = "<!-- notes: kept by python -m bench --results -->"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 3 s loads (CI); uses <db>_quick")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--no-seed", action="store_true", help="use the data as it is (no top-up)")
    parser.add_argument("--no-http", action="store_true", help="in-process cases only: no gunicorn, no wrk")
    parser.add_argument("--only", default="", help="comma-separated case names (bench/cases/*.py)")
    parser.add_argument("--seconds", type=int, default=0, help="wrk duration per endpoint (default 10, quick 3)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--replica-url",
        default=os.environ.get("BENCH_REPLICA_URL", ""),
        help="a streaming replica of --database-url: the replica_reads case compares reads on it with the primary "
        "(scripts/bench_replica_cluster.sh makes one); without it that case is skipped",
    )
    parser.add_argument("--results", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--curve",
        default=None,
        help="sizes for the size curve, e.g. 1m,5m (default with --results at full size: 1m,5m; each size in its own "
        "database <db> and <db>_5m; the data-dependent cases run at every size, the others at the largest)",
    )
    parser.add_argument("--rows-json", default="", help=argparse.SUPPRESS)  # a child of --curve writes its rows
    for name in ("businesses", "applications", "programs", "enrollments"):
        parser.add_argument(f"--{name}", type=int, default=None, help=f"target {name} (default: full or quick size)")
    return parser.parse_args(argv)


def sizes_of(args: argparse.Namespace) -> Sizes:
    base = QUICK if args.quick else FULL
    return Sizes(
        **{
            name: getattr(args, name) if getattr(args, name) is not None else getattr(base, name)
            for name in ("businesses", "applications", "programs", "enrollments")
        }
    )


def database_url(args: argparse.Namespace) -> str:
    url = args.database_url
    return url + "_quick" if args.quick and url == DEFAULT_DB else url


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist (PostgreSQL URLs only)."""
    if not url.startswith("postgres"):
        return
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def setup_django(env: dict[str, str]) -> None:
    # In-process cases use the server's settings, plus the test client's host name.
    os.environ.update({**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"})
    import django

    django.setup()


def static_stale() -> bool:
    """collectstatic (compressing every file, over a minute) only when a project static file is newer."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [ROOT / "static", *ROOT.glob("*/static")]
    return any(path.stat().st_mtime > built for folder in sources for path in folder.rglob("*") if path.is_file())


def prepare(sizes: Sizes, seed: bool) -> list[str]:
    """Migrate, demo users, static files, and top the data up to `sizes`. Returns what was done."""
    from django.core.management import call_command

    done = []
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", force=True, stdout=io.StringIO())
    if static_stale():
        started = time.monotonic()
        call_command("collectstatic", verbosity=0, interactive=False)
        done.append(f"collectstatic in {time.monotonic() - started:.0f} s")
    if not seed:
        return done
    from applicants.models import Business
    from training.models import Enrollment, Program

    missing = {
        "businesses": max(sizes.businesses - Business.objects.count(), 0),
        "programs": max(sizes.programs - Program.objects.count(), 0),
        "applications": 0,
    }
    # Enrollments are spread over the programs seeded in the same run.
    missing["enrollments"] = max(sizes.enrollments - Enrollment.objects.count(), 0) if missing["programs"] else 0
    from certification.models import Application

    missing["applications"] = max(sizes.applications - Application.objects.count(), 0)
    if any(missing.values()):
        options = {k: v for k, v in missing.items() if v}
        started = time.monotonic()
        call_command("seed_bulk", **options, verbosity=0)
        done.append(f"seed_bulk {options} in {time.monotonic() - started:.0f} s")
    return done


def run_cases(ctx: Context, only: list[str]) -> list[Row]:
    from bench.cases import ORDER

    rows: list[Row] = []
    for name in ORDER:
        if only and name not in only:
            continue
        module = importlib.import_module(f"bench.cases.{name}")
        started = time.monotonic()
        try:
            rows.extend(module.run(ctx))
        except Exception as error:  # noqa: BLE001 - one broken case must not hide the others
            traceback.print_exc()
            rows.append(Row(what=name, result=FAIL, note=f"error: {type(error).__name__}: {error}"[:200]))
        print(f"  {name}: {time.monotonic() - started:.1f} s", file=sys.stderr)
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory} RAM, Python {platform.python_version()}, {postgres}; "
        f"load average before the run {os.getloadavg()[0]:.2f}"
    )


def results_markdown(rows: list[Row], command: str, ctx: Context, prepared: list[str]) -> str:
    sizes = ctx.sizes
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            f"- Machine: {machine()} (shared with other processes)",
            f"- Command: `{command}`",
            f"- Target sizes: {sizes.businesses:,} businesses, {sizes.applications:,} applications, "
            f"{sizes.programs:,} programs, {sizes.enrollments:,} enrollments",
            f"- Server: gunicorn, 2 sync workers, DEBUG off, Redis cache; load: wrk -t2 -c16 -d{ctx.seconds}s",
            *(f"- Preparation: {line}" for line in prepared),
            "",
            format_markdown(rows),
            "",
        ]
    )


# Cases whose cost may grow with the data: run at every size of the curve, side by side.
DATA_CASES = ["case_queue", "owner_pages", "dashboard", "monthly_report", "reminder_scan", "csv_export", "xlsx_export"]
CURVE = {"1m": FULL, "5m": NATIONAL}


def curve_sizes(args: argparse.Namespace) -> list[str]:
    if args.curve is not None:
        return [label.strip().lower() for label in args.curve.split(",") if label.strip()]
    explicit = any(
        getattr(args, name) is not None for name in ("businesses", "applications", "programs", "enrollments")
    )
    if args.results and not args.quick and not explicit and not args.rows_json:
        return list(CURVE)
    return []


def run_curve(args: argparse.Namespace, labels: list[str], argv: list[str]) -> int:
    """Each size in a child `python -m bench` on its own database (Django settles on one database per process):
    the data-dependent cases at every size, every case at the largest. Writes the table, the size curve, RESULTS.md."""
    import json

    from bench.cases import ORDER

    only = [name.strip() for name in args.only.split(",") if name.strip()] or ORDER
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, object]] = {}
    for index, label in enumerate(labels):
        sizes = CURVE[label]
        largest = index == len(labels) - 1
        cases = [name for name in only if largest or name in DATA_CASES]
        if not cases:
            continue
        url = args.database_url if label == labels[0] else f"{args.database_url}_{label}"
        rows_file = OUT / f"rows-{label}.json"
        command = [
            sys.executable, "-m", "bench", "--database-url", url, "--redis-url", args.redis_url,
            "--port", str(args.port), "--rows-json", str(rows_file), "--only", ",".join(cases),
            "--businesses", str(sizes.businesses), "--applications", str(sizes.applications),
            "--programs", str(sizes.programs), "--enrollments", str(sizes.enrollments),
        ]  # fmt: skip
        if args.no_seed:
            command.append("--no-seed")
        if args.no_http:
            command.append("--no-http")
        if args.replica_url and largest:
            command += ["--replica-url", args.replica_url]
        if args.seconds:
            command += ["--seconds", str(args.seconds)]
        print(f"== {label}: {' '.join(command[3:])}", file=sys.stderr, flush=True)
        subprocess.run(command, cwd=ROOT, check=False)
        results[label] = json.loads(rows_file.read_text())
    rows, prepared = [], []
    for label in labels:
        if label not in results:
            continue
        prepared += [f"{label}: {line}" for line in results[label]["prepared"]]  # type: ignore[union-attr]
    last = labels[-1]
    for data in results[last]["rows"]:  # type: ignore[union-attr]
        rows.append(Row(**data))
    # Rows measured only below the largest size (none today, but a case may be limited to 1M).
    curve = size_curve(labels, results)
    ctx = Context(quick=False, sizes=CURVE[last], seconds=args.seconds or 10, out=OUT)
    command_text = "python -m bench " + shlex.join(argv)
    text = results_markdown(rows, command_text.strip(), ctx, prepared) + "\n" + curve + "\n"
    (OUT / "latest.md").write_text(text)
    print(format_table(rows))
    print(curve)
    if args.results:
        results_file = ROOT / "bench" / "RESULTS.md"
        kept = results_file.read_text().partition(NOTES_MARKER)[2] if results_file.exists() else ""
        results_file.write_text(text + "\n" + NOTES_MARKER + (kept or "\n"))
    return 1 if any(row.result == FAIL for row in rows) else 0


def _key(what: str) -> str:
    """A row's name without its data size: "(1,000,000 applications)" and the like."""
    import re

    what = re.sub(r"\s*\([\d,.]+ [a-z ]+\)", "", what)
    return re.sub(r",\s*[\d,.]+ rows\b", "", what).strip()


def size_curve(labels: list[str], results: dict[str, dict[str, object]]) -> str:
    """Each data-dependent row at every size side by side (p50 and p95 ms, or the figure in the note), with the
    growth from the smallest to the largest."""
    by_size = {
        label: {_key(str(r["what"])): r for r in results[label]["rows"] if not str(r["what"]).startswith("  ")}  # type: ignore[union-attr]
        for label in labels
        if label in results
    }
    if len(by_size) < 2:
        return ""
    first, last = labels[0], labels[-1]
    header = ["what", *(f"{label.upper()} p50 / p95 ms" for label in labels), f"p95 {last.upper()} / {first.upper()}"]
    lines = ["## Size curve", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key in by_size[first]:
        if key not in by_size[last]:
            continue
        cells, values = [key], []
        for label in labels:
            other = by_size.get(label, {}).get(key)
            if other is None:
                cells.append("-")
                continue
            p50, p95 = other.get("p50"), other.get("p95")
            cells.append(f"{p50:,.1f} / {p95:,.1f}" if p95 is not None else (f"{p50:,.1f} / -" if p50 else "-"))
            values.append(p95 if p95 is not None else p50)
        growth = "-"
        if len(values) == len(labels) and values[0] and values[-1]:
            growth = f"{values[-1] / values[0]:.2f}x"
        cells.append(growth)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    labels = curve_sizes(args)
    if labels:
        return run_curve(args, labels, argv if argv is not None else sys.argv[1:])
    sizes = sizes_of(args)
    url = database_url(args)
    seconds = args.seconds or (3 if args.quick else 10)
    ensure_database(url)
    env = server_env(url, args.redis_url)
    setup_django(env)
    prepared = prepare(sizes, seed=not args.no_seed)
    ctx = Context(
        quick=args.quick,
        sizes=sizes,
        seconds=seconds,
        out=OUT,
        database_url=url,
        redis_url=args.redis_url,
        replica_url=args.replica_url,
        port=args.port,
    )
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    if args.no_http:
        rows = run_cases(ctx, only)
    else:
        with Server(port=args.port, env=env, log=OUT / "gunicorn.log") as server:
            ctx.base_url = server.base_url
            rows = run_cases(ctx, only)
    print(format_table(rows))
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    text = results_markdown(rows, command.strip(), ctx, prepared)
    (OUT / "latest.md").write_text(text)
    if args.rows_json:
        import dataclasses
        import json

        Path(args.rows_json).write_text(
            json.dumps({"rows": [dataclasses.asdict(row) for row in rows], "prepared": prepared})
        )
        return 0
    if args.results:
        results = ROOT / "bench" / "RESULTS.md"
        # Hand-written analysis below the marker survives a new run.
        kept = results.read_text().partition(NOTES_MARKER)[2] if results.exists() else ""
        results.write_text(text + "\n" + NOTES_MARKER + (kept or "\n"))
    if args.quick:
        # Quick sizes prove that every case still runs (CI); budgets are judged on the full sizes only.
        return 1 if any(row.note.startswith("error:") for row in rows) else 0
    return 1 if any(row.result == FAIL for row in rows) else 0
