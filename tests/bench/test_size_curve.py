"""The size curve puts each data-dependent row of every size side by side (bench/run.py)."""

from __future__ import annotations

import argparse

from bench.run import _key, curve_sizes, parse_args, size_curve


def row(what: str, p50: float | None, p95: float | None) -> dict[str, object]:
    return {"what": what, "p50": p50, "p95": p95, "result": "pass", "note": "", "budget": "", "rps": None}


def test_a_rows_key_drops_its_data_size() -> None:
    assert _key("staff queue page GET /cases/ (1,000,000 applications)") == "staff queue page GET /cases/"
    assert _key("staff dashboard, all charts (5,000,000 applications): warm") == "staff dashboard, all charts: warm"
    assert _key("monthly report PDF") == "monthly report PDF"
    assert _key("CSV export (applications, every state), 5,000,000 rows") == "CSV export (applications, every state)"


def test_the_curve_lists_each_row_at_every_size_with_its_growth() -> None:
    results = {
        "1m": {"rows": [row("queue (1,000,000 applications)", 30.0, 60.0), row("  baseline: x", 1.0, 2.0)]},
        "5m": {
            "rows": [
                row("queue (5,000,000 applications)", 33.0, 66.0),
                row("monthly report PDF", 8000.0, None),
                row("  baseline: x", 1.0, 2.0),
            ]
        },
    }
    text = size_curve(["1m", "5m"], results)
    lines = [line for line in text.splitlines() if line.startswith("| queue")]
    assert lines == ["| queue | 30.0 / 60.0 | 33.0 / 66.0 | 1.10x |"]
    assert "baseline" not in text  # baselines are not data-dependent
    assert "monthly report" not in text  # measured at one size only: no curve to show


def test_a_full_results_run_draws_the_curve_unless_sizes_are_given() -> None:
    assert curve_sizes(parse_args(["--results"])) == ["1m", "5m"]
    assert curve_sizes(parse_args(["--results", "--applications", "1000"])) == []
    assert curve_sizes(parse_args(["--results", "--quick"])) == []
    assert curve_sizes(parse_args(["--quick"])) == []
    assert curve_sizes(parse_args(["--curve", "1m"])) == ["1m"]
    assert isinstance(parse_args([]), argparse.Namespace)
