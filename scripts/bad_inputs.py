"""Print the markdown table of bad inputs tried by the test suite (for docs/security.md).

A test is a bad-input case when its name says so (refused, invalid, rejected, malformed, wrong, ...). For each: where
(the test file), the input (its parametrize values or, failing that, the sentence of its name), the answer (the status
codes and the messages it asserts) and the test's name. Run: `.venv/bin/python scripts/bad_inputs.py`.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD = re.compile(
    r"refus|invalid|bad_|reject|malformed|wrong|unknown|cannot|missing|negative|duplicate|oversize|too_|exceed|"
    r"forged|spoof|taken|mismatch|disguis|not_a_number|outside|undocumented|unmatched|rate_limited|429|throttled"
)


def _literal(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # noqa: BLE001 - a node ast cannot print is simply left out of the table
        return ""


def _answer(func: ast.FunctionDef) -> str:
    codes: list[str] = []
    messages: list[str] = []
    for node in ast.walk(func):
        if not isinstance(node, ast.Assert):
            continue
        text = _literal(node.test)
        codes += re.findall(r"\b(?:status_code|status)\b\s*==\s*(\d{3})", text)
        codes += re.findall(r"==\s*\[([\d, ]+)\]", text)
        for const in ast.walk(node.test):
            if isinstance(const, ast.Constant) and isinstance(const.value, str) and len(const.value) > 12:
                messages.append(const.value)
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and _literal(node.func).endswith("raises"):
            raised = _literal(node.args[0]) if node.args else ""
            match = next((_literal(k.value) for k in node.keywords if k.arg == "match"), "")
            codes.append(f"raises {raised}" + (f" matching {match}" if match else ""))
    parts = []
    if codes:
        parts.append(" / ".join(dict.fromkeys(codes)))
    if messages:
        parts.append("; ".join(f"“{m}”" for m in list(dict.fromkeys(messages))[:2]))
    return " — ".join(parts) or "refused, nothing written (see the test)"


def _input(func: ast.FunctionDef) -> str:
    for decorator in func.decorator_list:
        text = _literal(decorator)
        if "parametrize" in text and isinstance(decorator, ast.Call) and len(decorator.args) >= 2:
            values = _literal(decorator.args[1])
            return (values[:160] + "…") if len(values) > 160 else values
    return func.name.removeprefix("test_").replace("_", " ")


def rows() -> list[tuple[str, str, str, str]]:
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if "bench" in path.parts:
            continue  # the benchmark harness's own checks are not user input
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_") and BAD.search(node.name):
                where = str(path.relative_to(ROOT / "tests"))
                found.append((where, _input(node), _answer(node), node.name))
    return found


def main() -> int:
    print("| Where | Input | Answer | Test |")
    print("|---|---|---|---|")
    for where, given, answer, name in rows():
        cells = [c.replace("|", "\\|").replace("\n", " ") for c in (where, given, answer, name)]
        print("| " + " | ".join(cells[:3]) + f" | `{cells[3]}` |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
