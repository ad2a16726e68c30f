"""The floors of the house (README.md, "Layout"), read from every import statement of every module.

`core` is the ground floor and imports no app; `fees` and `applicants` import only `core`; `training` and
`certification` may use `applicants`, `fees` and `core` but never each other; `reports` (the top floor) may use them
all. The project package `halalmsi` wires them together (settings, URLs). Production code never imports `bench`.
Imports inside functions count too: a hidden import is still an arrow.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "fees", "applicants", "training", "certification", "reports")
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "fees": {"core"},
    "applicants": {"core"},
    "training": {"core", "applicants", "fees"},
    "certification": {"core", "applicants", "fees"},
    "reports": {"core", "applicants", "fees", "training", "certification"},
    "halalmsi": set(APPS),
}
MODEL_REFERENCE = re.compile(rf"^({'|'.join(APPS)})\.[A-Z]\w*$")


def modules_of(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def imported_packages(path: Path, package: str) -> set[str]:
    """The top-level package of everything the module (in `package`) imports: absolute or relative, at any depth."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(package if node.level else (node.module or "").split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "import_string",
            "__import__",
        ):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value.split(".")[0])
    return found


def model_references(path: Path) -> set[str]:
    """App labels named in string model references ("applicants.Region") anywhere in the module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        node.value.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and MODEL_REFERENCE.match(node.value)
    }


@pytest.mark.parametrize("package", list(ALLOWED))
def test_each_floor_imports_only_the_floors_below_it(package: str) -> None:
    project = set(APPS) | {"halalmsi", "bench"}
    wrong = {}
    for path in modules_of(package):
        others = (imported_packages(path, package) & project) - {package} - ALLOWED[package]
        if package != "halalmsi":
            others |= (model_references(path) - {package}) - ALLOWED[package]
        if others:
            wrong[str(path.relative_to(ROOT))] = sorted(others)
    assert wrong == {}


def test_production_code_never_imports_the_benchmarks() -> None:
    leaks = [
        str(p.relative_to(ROOT)) for pkg in ALLOWED for p in modules_of(pkg) if "bench" in imported_packages(p, pkg)
    ]
    assert leaks == []


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    """The check itself: a hidden import is found (so the tests above cannot pass by not looking)."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from certification import models\n    from . import roles\n")
    assert imported_packages(module, "core") == {"certification", "core"}
