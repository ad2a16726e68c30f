"""The production lock (requirements/base.txt) holds every third-party module production code imports.

The Dockerfile installs base.txt alone; CI installs dev.txt, where a package that only a dev tool pulls in (requests,
via schemathesis) hides a missing runtime dependency. Here every `import` of production code (everything but tests,
bench and scripts) and every dotted path the settings name (apps, middleware, formatters, storage backends) is
mapped to the distribution that provides it, and that distribution must be pinned in base.txt. CI also boots the
stack from a virtualenv made of base.txt alone (scripts/prod_smoke.sh).
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCTION = {"tests", "bench", "scripts", ".venv", "node_modules", "staticfiles", "media"}
# Named in the settings or on a command line rather than imported: the settings' dotted paths are read below; these
# run as programs (Dockerfile CMD, docker-compose.yml).
PROGRAMS = {"gunicorn", "celery"}


def local_packages() -> set[str]:
    return {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()} | {"manage"}


def production_files() -> list[Path]:
    return [path for path in ROOT.rglob("*.py") if path.relative_to(ROOT).parts[0] not in NOT_PRODUCTION]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def dotted_paths_in_settings() -> set[str]:
    """Top-level packages of the dotted strings in the settings (INSTALLED_APPS, MIDDLEWARE, LOGGING's `()`...)."""
    names: set[str] = set()
    for path in (ROOT / "halalmsi" / "settings.py", ROOT / "core" / "env.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+", node.value)
            ):
                names.add(node.value.split(".")[0])
    return names


def third_party(modules: set[str]) -> set[str]:
    return {name for name in modules if name not in sys.stdlib_module_names and name not in local_packages()}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock: Path) -> set[str]:
    return {
        canonical(match.group(1))
        for line in lock.read_text().splitlines()
        if (match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==", line))
    }


def distributions_of(module: str) -> set[str]:
    return {canonical(name) for name in importlib.metadata.packages_distributions().get(module, [])}


def test_every_third_party_module_production_imports_is_pinned_in_the_production_lock() -> None:
    imports = set().union(*(imported_modules(path) for path in production_files()))
    # The settings' dotted paths include Django's own modules and ours (`core.`): only installed ones count.
    named = {name for name in dotted_paths_in_settings() if distributions_of(name)}
    modules = third_party(imports | named) | PROGRAMS
    assert {"requests", "weasyprint", "celery", "whitenoise", "storages", "csp", "pythonjsonlogger"} <= modules
    lock = pinned(ROOT / "requirements" / "base.txt")
    missing = {module: sorted(distributions_of(module)) for module in modules if not distributions_of(module) & lock}
    assert missing == {}, f"imported by production code but not in requirements/base.txt: {missing}"


def test_the_check_sees_a_package_missing_from_the_lock(tmp_path: Path) -> None:
    """The check itself: a lock without `requests` is caught (core/notifications/channels.py imports it)."""
    lock = tmp_path / "base.txt"
    text = (ROOT / "requirements" / "base.txt").read_text()
    lock.write_text(re.sub(r"(?m)^requests==.*$", "", text))
    assert "requests" in imported_modules(ROOT / "core" / "notifications" / "channels.py")
    assert not distributions_of("requests") & pinned(lock)
    assert distributions_of("requests") & pinned(ROOT / "requirements" / "base.txt")


def test_the_production_lock_is_the_dev_lock_minus_the_dev_extra() -> None:
    """Every pin of base.txt is in dev.txt at the same version: tests run what production installs."""
    versions = {}
    for name in ("base", "dev"):
        text = (ROOT / "requirements" / f"{name}.txt").read_text()
        versions[name] = dict(re.findall(r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", text))
    assert versions["base"] and all(versions["dev"].get(pkg) == ver for pkg, ver in versions["base"].items())


def test_ci_runs_the_production_smoke_test_from_the_lock_alone() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/prod_smoke.sh" in ci
    smoke = (ROOT / "scripts" / "prod_smoke.sh").read_text()
    assert 'REQUIREMENTS="${SMOKE_REQUIREMENTS:-$ROOT/requirements/base.txt}"' in smoke
    assert "dev.txt" not in smoke.split("set -euo pipefail", 1)[1]  # nothing from the dev lock is installed
    for step in ("compiletranslations", "collectstatic", "check --deploy", "migrate", "celery\" -A halalmsi worker",
                 "celery\" -A halalmsi beat", "/healthz", "ping.delay"):  # fmt: skip
        assert step in smoke, step


def test_ci_runs_the_multi_host_topology() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/topology_test.sh" in ci
    topology = (ROOT / "scripts" / "topology_test.sh").read_text()
    for part in ("pg_basebackup", "pool_mode = transaction", "DATABASE_REPLICA_URL", "DATABASE_DIRECT_URL",
                 "DATABASE_TRANSACTION_POOLED=True", "topology_journey.py"):  # fmt: skip
        assert part in topology, part
