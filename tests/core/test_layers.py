"""The floors of the house (README.md, "Layout"), read from every import statement of every module.

`core` is the ground floor and imports no app; `fees` and `applicants` import only `core`; `training` and
`certification` may use `applicants`, `fees` and `core` but never each other; `reports` (the top floor) may use them
all. The project package `halalmsi` wires them together (settings, URLs). Production code never imports `bench`.
Imports inside functions count too: a hidden import is still an arrow.

Through an app's door only: another app (`core`, the shared ground floor, aside) may use its `models`, `selectors`
and `services` (and its plain rule modules), never its pages, forms, API or tasks, wherever they live
(`certification/verification/views.py` as much as `certification/views.py`). And a subdomain with more than two
modules is a package named for it: no module name repeats a prefix that two siblings share.
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


def imported_modules(path: Path) -> set[str]:
    """Every absolute dotted name the module imports, a module or a name in one (`a.b` and `a.b.c` for
    `from a.b import c`): at any depth, inside functions too."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


# Layers of an app that stay inside it: a page, a form, the API or a task is the app's own business.
PRIVATE_LAYERS = {"views", "forms", "api", "tasks", "urls", "admin", "serializers"}


def private_layers_of_other_apps(path: Path, package: str) -> set[str]:
    wrong = set()
    for name in imported_modules(path):
        parts = name.split(".")
        if parts[0] in APPS and parts[0] not in (package, "core") and PRIVATE_LAYERS.intersection(parts[1:]):
            wrong.add(name)
    return wrong


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


@pytest.mark.parametrize("package", [app for app in APPS if app != "core"])
def test_apps_use_each_other_only_through_models_selectors_and_services(package: str) -> None:
    wrong = {}
    for path in modules_of(package):
        found = private_layers_of_other_apps(path, package)
        if found:
            wrong[str(path.relative_to(ROOT))] = sorted(found)
    assert wrong == {}


def test_the_ground_floor_is_used_but_never_its_pages() -> None:
    """core's helpers are there to be used; its pages (the inbox, the calendar, the health check) are not."""
    wrong = {}
    for app in APPS:
        for path in modules_of(app):
            pages = {
                name
                for name in imported_modules(path)
                if name.startswith("core.") and "views" in name.split(".") and app != "core"
            }
            if pages:
                wrong[str(path.relative_to(ROOT))] = sorted(pages)
    assert wrong == {}


def prefix_families(folder: Path) -> dict[str, list[str]]:
    """Modules of one folder whose names share a first word (`permit_services`, `permit_views`): a subdomain spelled as
    a prefix instead of a package."""
    names = [p.stem for p in folder.glob("*.py") if p.stem != "__init__"]
    families: dict[str, list[str]] = {}
    for name in names:
        if "_" in name:
            families.setdefault(name.split("_")[0], []).append(name)
    return {
        prefix: sorted(members + ([prefix] if prefix in names else []))
        for prefix, members in families.items()
        if len(members) + (prefix in names) > 1
    }


def test_no_subdomain_is_spelled_as_a_filename_prefix() -> None:
    folders = {p.parent for app in (*APPS, "halalmsi") for p in modules_of(app) if "migrations" not in p.parts}
    found = {str(f.relative_to(ROOT)): prefix_families(f) for f in sorted(folders) if prefix_families(f)}
    assert found == {}


def test_the_checks_see_a_private_layer_and_a_prefix_family(tmp_path: Path) -> None:
    """The checks themselves: an import of another app's pages and a prefix family are found."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from certification.verification import views\n    import training.tasks\n")
    assert private_layers_of_other_apps(module, "reports") == {
        "certification.verification",
        "certification.verification.views",
        "training.tasks",
    } - {"certification.verification"}
    for name in ("permit_services", "permit_views", "scale"):
        (tmp_path / f"{name}.py").write_text("")
    assert prefix_families(tmp_path) == {"permit": ["permit_services", "permit_views"]}


def test_no_production_module_is_longer_than_600_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for app in (*APPS, "halalmsi", "bench")
        for p in modules_of(app)
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 600
    }
    assert long == {}


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


def test_every_library_production_code_imports_is_in_the_runtime_lock() -> None:
    """`make run` and the Docker image install requirements/base.txt only: a library that only the development lock
    brings (`requests` did) works in the tests and breaks the first page on a fresh clone."""
    import sys
    from importlib.metadata import packages_distributions

    locked = {
        re.sub(r"[-_.]+", "-", line.split("==")[0]).lower()
        for line in (ROOT / "requirements" / "base.txt").read_text().splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    }
    ours = {*APPS, "halalmsi", "bench", "tests", "scripts", "manage", "__future__"}
    distributions = packages_distributions()
    missing = {}
    for package in (*APPS, "halalmsi"):
        for path in modules_of(package):
            for name in imported_packages(path, package) - ours - set(sys.stdlib_module_names) - {""}:
                needed = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(name, [name])}
                if not needed & locked:
                    missing[name] = str(path.relative_to(ROOT))
    assert missing == {}
