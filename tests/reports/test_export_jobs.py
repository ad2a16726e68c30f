"""XLSX exports built by a worker: the job page shows progress and a download link; the workbook holds the same
rows as the CSV; Excel's row limit answers a clear message; nobody opens another person's job."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.files import exports
from reports.models import ExportJob
from tests.reports import factories as f
from tests.reports.test_exports import csv_rows, signed_in, xlsx_rows

pytestmark = pytest.mark.django_db

QUEUE_XLSX = "/staff/exports/applications.xlsx"


def _start(client: Client, path: str = QUEUE_XLSX, query: str = "") -> Any:
    """Queue a job; the worker (eager in tests) runs it when the request's transaction commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("dashboard:export-job-new"), {"path": path, "query": query})


def test_the_queue_links_to_a_job_and_the_job_writes_the_same_rows_as_the_csv(
    rina: Any, oscar: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    f.build(oscar)
    client = signed_in(rina)
    queue = client.get(reverse("certification:queue"), {"state": "issued"}).content.decode()
    assert reverse("dashboard:export-job-new") + "?path=" + QUEUE_XLSX in queue
    confirm = client.get(reverse("dashboard:export-job-new"), {"path": QUEUE_XLSX, "query": "state=issued"})
    assert confirm.status_code == 200 and ExportJob.objects.count() == 0  # a GET writes nothing

    response = _start(client, query="state=issued")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:export-job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    download = reverse("dashboard:export-job-download", args=[job.pk])
    assert job.status == "done" and download in page
    expected = csv_rows(client.get("/staff/exports/applications.csv", {"state": "issued"}))
    assert len(expected) > 1 and job.rows == len(expected) - 1
    assert xlsx_rows(client.get(download)) == expected


def test_a_selection_past_excels_row_limit_fails_with_a_clear_message(
    rina: Any, oscar: Any, monkeypatch: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    f.build(oscar)
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 1)  # one Excel sheet, scaled down to this test's few cases
    client = signed_in(rina)
    _start(client)
    job = ExportJob.objects.get()
    page = client.get(reverse("dashboard:export-job", args=[job.pk])).content.decode()
    assert job.status == "failed" and not job.file
    # in Indonesian, the office's language (the worker has no request language)
    assert "melebihi kapasitas satu lembar Excel" in job.error and "unduh CSV" in job.error
    assert "melebihi kapasitas satu lembar Excel" in page
    assert client.get(reverse("dashboard:export-job-download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("path", ["/staff/exports/applications.csv", "/admin/", "https://example.com/x.xlsx", ""])
def test_only_the_lists_xlsx_exports_can_be_queued(rina: Any, path: str) -> None:
    client = signed_in(rina)
    response = client.post(reverse("dashboard:export-job-new"), {"path": path}, follow=True)
    assert "Daftar ini tidak dapat diekspor." in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_another_persons_job_answers_404(rina: Any, oscar: Any, ayu: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    f.build(oscar)
    _start(signed_in(rina))
    job = ExportJob.objects.get()
    for other in (oscar, ayu):
        client = signed_in(other)
        assert client.get(reverse("dashboard:export-job", args=[job.pk])).status_code == 404
        assert client.get(reverse("dashboard:export-job-download", args=[job.pk])).status_code == 404


def test_the_job_pages_take_a_fixed_number_of_queries(
    rina: Any, oscar: Any, settings: Any, tmp_path: Any, django_assert_max_num_queries: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    f.build(oscar)
    client = signed_in(rina)
    _start(client)
    job = ExportJob.objects.get()
    with django_assert_max_num_queries(5):
        client.get(reverse("dashboard:export-job", args=[job.pk]))
    with django_assert_max_num_queries(6):
        client.get(reverse("dashboard:export-job-new"), {"path": QUEUE_XLSX})


@pytest.mark.postgres
def test_the_export_job_reads_its_rows_through_a_server_side_cursor_a_chunk_at_a_time(
    rina: Any, oscar: Any, settings: Any, tmp_path: Any
) -> None:
    """Memory stays flat whatever the number of rows: the rows come from a named (server-side) cursor fetched
    CHUNK_SIZE at a time, never from one client-side result holding them all."""
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path
    f.build(oscar)
    reads: list[tuple[str, str | None, int]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        raw = context["cursor"].cursor
        reads.append((sql, getattr(raw, "name", None), getattr(raw, "itersize", 0)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        _start(signed_in(rina), query="state=all")
    assert ExportJob.objects.get().status == "done"
    rows = [(name, size) for sql, name, size in reads if 'FROM "certification_application"' in sql and name]
    assert rows, "the applications were not read through a server-side cursor"
    assert all(size == exports.CHUNK_SIZE for _name, size in rows)


@pytest.mark.postgres
def test_the_export_job_picks_one_sheets_rows_by_their_keys_in_the_queue_order_before_joining(
    rina: Any, oscar: Any, settings: Any, tmp_path: Any
) -> None:
    """At 5M a cursor walking the queue's index fetched each case and its business one at a time (42 µs a row,
    bench/RESULTS.md issue 34 part E): the job now chooses the sheet's keys on the application table alone, limited
    to one sheet and one row more, and the same rows come out in the queue's order."""
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path
    f.build(oscar)
    reads: list[str] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        reads.append(sql % tuple(params or ()) if params else sql)
        return execute(sql, params, many, context)

    client = signed_in(rina)
    with connection.execute_wrapper(spy):
        _start(client, query="state=all")
    job = ExportJob.objects.get()
    assert job.status == "done"
    (sql,) = [s for s in reads if '"applicants_business"."name"' in s]
    assert re.search(r'"certification_application"\."id" IN \(SELECT \w+\."id"', sql)
    assert f"LIMIT {exports.XLSX_MAX_ROWS + 1})" in sql
    expected = csv_rows(client.get("/staff/exports/applications.csv", {"state": "all"}))
    assert len(expected) > 2 and job.rows == len(expected) - 1
    assert xlsx_rows(client.get(reverse("dashboard:export-job-download", args=[job.pk]))) == expected


def test_one_sheet_keeps_the_lists_first_rows_in_its_order(oscar: Any, monkeypatch: Any) -> None:
    from certification.models import Application

    f.build(oscar)
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    ordered = Application.objects.order_by("-pk")
    everything = list(ordered.values_list("pk", flat=True))
    assert len(everything) > 3
    assert list(exports.one_sheet(ordered).values_list("pk", flat=True)) == everything[:3]
    unordered = Application.objects.order_by()
    assert exports.one_sheet(unordered) is unordered  # no order, no "first rows": left as it is
