"""The benchmark harness's own logic: parsing wrk's output and printing the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.report import BASE, FAIL, PASS, Row, format_markdown, format_table
from bench.wrk import lua_script, parse_wrk

SAMPLE = (Path(__file__).parent / "wrk_sample.txt").read_text()


def test_wrk_output_gives_requests_per_second_and_percentiles_in_milliseconds() -> None:
    result = parse_wrk(SAMPLE)
    assert result.rps == 509.80
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (32.611, 46.702, 85.471)
    assert result.requests == 1533
    assert result.clean


def test_wrk_run_with_error_responses_is_not_clean() -> None:
    result = parse_wrk(SAMPLE.replace("non2xx=0", "non2xx=12"))
    assert result.non2xx == 12
    assert not result.clean


def test_wrk_output_without_our_hook_is_refused() -> None:
    without_hook = "\n".join(line for line in SAMPLE.splitlines() if not line.startswith("BENCH_"))
    with pytest.raises(ValueError, match="Unexpected wrk output"):
        parse_wrk(without_hook)


def test_lua_script_sends_the_body_and_headers_as_lua_strings() -> None:
    script = lua_script("POST", '{"annual_sales": 1}', {"Content-Type": "application/json"})
    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = "{\\"annual_sales\\": 1}"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert "latency:percentile(95)" in script


def test_table_lines_up_columns_and_shows_ratio_budget_and_result() -> None:
    rows = [
        Row(what="  baseline: bare DRF APIView POST", rps=805.2, p50=17.0, p95=31.8, p99=109.9, result=BASE),
        Row(what="fee quote", budget=">= 0.7x bare DRF", rps=600.0, p50=20, p95=40, p99=90, ratio=0.746, result=PASS),
        Row.not_built("monthly report PDF", "<= 10 s", "halalmsi.reports.monthly_report_pdf"),
    ]
    lines = format_table(rows).splitlines()
    header = ["what", "req/s", "p50", "ms", "p95", "ms", "p99", "ms", "ratio", "budget", "result", "note"]
    assert lines[0].split() == header
    assert set(lines[1]) <= {"-", " "}
    assert "805" in lines[2] and "baseline" in lines[2]
    assert "0.75x" in lines[3] and ">= 0.7x bare DRF" in lines[3] and "pass" in lines[3]
    assert "n/a (not built yet: halalmsi.reports.monthly_report_pdf)" in lines[4]
    # Every column starts at the same offset on every line.
    offset = lines[0].index("ratio")
    assert lines[3][offset:].startswith("0.75x")


def test_markdown_table_has_one_row_per_result_and_escapes_pipes() -> None:
    text = format_markdown([Row(what="a | b", result=FAIL, note="x")])
    lines = text.splitlines()
    assert len(lines) == 3
    assert "a \\| b" in lines[2] and "FAIL" in lines[2]


def test_verdict_is_pass_or_fail() -> None:
    assert Row.verdict(True) == PASS
    assert Row.verdict(False) == FAIL


def test_the_replica_case_is_skipped_without_a_replica_so_the_quick_suite_needs_none(tmp_path: Path) -> None:
    from bench.cases import ORDER, replica_reads
    from bench.support import QUICK, Context

    assert "replica_reads" in ORDER
    ctx = Context(quick=True, sizes=QUICK, seconds=1, out=tmp_path, base_url="http://127.0.0.1:1")
    (row,) = replica_reads.run(ctx)
    assert row.note.startswith("skipped (opt-in: --replica-url")
    assert row.result != FAIL


def test_replication_lag_is_summarised_as_median_p95_and_max() -> None:
    from bench.cases.replica_reads import _lag_note

    assert _lag_note([1.0, 2.0, 3.0, 40.0]) == "median 2.5 ms, p95 40.0 ms, max 40.0 ms (4 commits)"
    assert _lag_note([]) == "no sample"
