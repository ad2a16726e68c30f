"""The monthly report: requested from the dashboard, built by a Celery task, PDF contents, beat schedule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django_celery_beat.models import PeriodicTask

from reports import services as reports
from reports.models import MonthlyReport
from reports.tasks import build_monthly_report, monthly_report_previous_month
from tests import pdftools
from tests.conftest import national
from tests.reports import factories as f

pytestmark = pytest.mark.django_db

ISSUE_MONTH = min(f.TODAY, dt.date(f.YEAR, 2, 10)).replace(day=1)


@pytest.fixture(autouse=True)
def _english(settings: Any, media: Path) -> Any:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def pdf_text(path: str, tmp_path: Path) -> str:
    return pdftools.pdf_text(path)


def test_requesting_a_report_queues_it_and_the_worker_builds_the_pdf(
    rina: Any, oscar: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    f.build(oscar)
    client = signed_in(national(rina))  # a national report (rina's own would default to Lampung)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/reports/request/", {"month": ISSUE_MONTH.strftime("%Y-%m")})
    report = MonthlyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.status == "done"
    assert report.requested_by == rina
    assert report.month == ISSUE_MONTH
    assert report.finished_at is not None
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"/staff/reports/{report.pk}/download/" in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(f"/staff/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    text = pdf_text(report.file.path, tmp_path)
    assert "Monthly report " + ISSUE_MONTH.strftime("%B %Y") in text  # a month in words, never 2026-11
    assert "Certificates issued per month" in text
    assert "Kota Bandar Lampung" in text and "Kabupaten Lampung Selatan" in text
    assert "Programs lacking follow-up" in text
    # The key figures: two certificates issued in the month; Sehati 12 used / 108 left.
    key = text.split("Key figures")[1].split("Applications by state")[0]
    assert re.search(r"Certificates issued\s+2\s", key)
    assert re.search(r"Overdue cases\s+2\s", key)
    assert "12 / 108" in key
    # Overdue cases are listed by business.
    overdue = text.split("Overdue cases")[-1].split("Programs lacking follow-up")[0]
    assert "Kabupaten Lampung Selatan" in overdue and "Document verification" in overdue
    page = pdftools.pdf_page_image(report.file.path, dpi=40)
    assert page.getextrema() != ((255, 255), (255, 255), (255, 255))  # the first page is not blank


def test_long_lists_are_capped_and_counted_by_region(
    oscar: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national month has 100,000+ overdue cases: the PDF names the longest overdue few, counts the rest per
    region, and says where the full list is."""
    f.build(oscar)
    monkeypatch.setattr(reports, "LISTED_ROWS", 1)
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.monthly_report_pdf(year=ISSUE_MONTH.year, month=ISSUE_MONTH.month))
    text = pdf_text(str(path), tmp_path)
    key = text.split("Key figures")[1].split("Applications by state")[0]
    assert re.search(r"Overdue cases\s+2\s", key)  # the key figure counts them all
    overdue = text.split("Open cases past their due date")[1].split("Programs lacking follow-up")[0]
    by_region, listed = overdue.split("The longest overdue case")
    # The national report counts per province (38 rows, not 514); a province's report per regency (below).
    assert re.search(r"18 Lampung\s+2\s+\d{4}-\d\d-\d\d", by_region)
    assert "Kabupaten" not in by_region
    # Only the longest overdue case is named (the Bandar Lampung one, due first); the other is counted.
    assert "Kota Bandar Lampung" in listed and "Kabupaten Lampung Selatan" not in listed
    assert "1 of 2 overdue cases are listed; the applications export (overdue only) has them all." in listed


def test_a_provinces_report_counts_overdue_cases_per_regency(oscar: Any, tmp_path: Path) -> None:
    f.build(oscar)
    lampung = f.regency("1801").parent
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.monthly_report_pdf(year=ISSUE_MONTH.year, month=ISSUE_MONTH.month, region=lampung))
    overdue = pdf_text(str(path), tmp_path).split("Open cases past their due date")[1]
    assert re.search(r"1801 Kabupaten Lampung Selatan\s+1\s+\d{4}-\d\d-\d\d", overdue)
    assert re.search(r"1871 Kota Bandar Lampung\s+1\s+\d{4}-\d\d-\d\d", overdue)


def test_a_pending_report_is_reused_for_the_same_month_and_region(rina: Any, ayu: Any) -> None:
    first = reports.monthly_report_request(month=ISSUE_MONTH, region=None, actor=rina)
    second = signed_in(ayu).post("/staff/reports/request/", {"month": ISSUE_MONTH.strftime("%Y-%m")})
    assert second.status_code == 302
    assert MonthlyReport.objects.count() == 1
    assert second["Location"] == f"/staff/reports/{first.pk}/"
    page = signed_in(ayu).get(second["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page
    other_region = reports.monthly_report_request(month=ISSUE_MONTH, region=f.regency("1801"), actor=rina)
    assert other_region.pk != first.pk


def test_running_the_task_twice_builds_one_file(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    report = MonthlyReport.objects.create(month=ISSUE_MONTH, requested_by=rina)
    assert build_monthly_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    name = report.file.name
    finished = report.finished_at
    assert build_monthly_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    assert (report.file.name, report.finished_at) == (name, finished)
    assert MonthlyReport.objects.count() == 1


def test_the_beat_job_reports_the_previous_month_once(oscar: Any) -> None:
    f.build(oscar)
    first = monthly_report_previous_month.delay().get()
    second = monthly_report_previous_month.delay().get()
    assert first == second
    report = MonthlyReport.objects.get()
    assert report.status == "done"
    assert report.month == reports.previous_month(f.TODAY)
    assert report.region is None


def test_beat_runs_on_the_first_of_the_month_at_six_jakarta_time() -> None:
    task = PeriodicTask.objects.get(task="reports.monthly_report_previous_month")
    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, str(crontab.timezone)) == (
        "0",
        "6",
        "1",
        "Asia/Jakarta",
    )


def test_previous_month_crosses_the_year() -> None:
    assert reports.previous_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
    assert reports.previous_month(dt.date(2026, 3, 31)) == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "2026-13"}, "Enter a month as YYYY-MM."),
        ({"month": ""}, "This field is required."),
        ({"month": f"{f.YEAR + 1}-01"}, "A report cannot be made for a future month."),
        ({"month": "2026-01", "region": "9999"}, "Unknown region."),
    ],
)
def test_a_bad_report_request_writes_nothing(rina: Any, data: dict[str, str], message: str) -> None:
    response = signed_in(rina).post("/staff/reports/request/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_only_a_done_report_can_be_downloaded(rina: Any) -> None:
    report = MonthlyReport.objects.create(month=ISSUE_MONTH, requested_by=rina)
    assert signed_in(rina).get(f"/staff/reports/{report.pk}/download/").status_code == 404


def test_owners_cannot_read_a_report(alice: Any, rina: Any) -> None:
    report = MonthlyReport.objects.create(month=ISSUE_MONTH, requested_by=rina)
    assert signed_in(alice).get(f"/staff/reports/{report.pk}/").status_code == 403
    assert signed_in(alice).get(f"/staff/reports/{report.pk}/download/").status_code == 403


@pytest.mark.django_db
def test_the_report_renders_for_a_month_without_storing_anything(oscar: Any) -> None:
    from reports.models import MonthlyReport
    from tests.reports import factories

    factories.build(oscar)
    pdf = reports.monthly_report_pdf(year=2026, month=11)
    assert pdf.startswith(b"%PDF")
    assert MonthlyReport.objects.count() == 0


def test_the_monthly_report_prints_the_months_checkpoints_of_the_audit_chains(oscar: Any, tmp_path: Path) -> None:
    """The outside record of the hash chains (issue 29): every checkpoint of the month with its digest in full, so a
    checkpoint removed or altered later no longer matches the printed page."""
    from core.ops.checkpoints import chain_checkpoint_take

    f.build(oscar)
    days = [ISSUE_MONTH.replace(day=3), ISSUE_MONTH.replace(day=4)]
    taken = [chain_checkpoint_take(day=day) for day in days]
    chain_checkpoint_take(day=ISSUE_MONTH.replace(day=28) + dt.timedelta(days=10))  # the next month: not printed
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.monthly_report_pdf(year=ISSUE_MONTH.year, month=ISSUE_MONTH.month))
    text = pdf_text(str(path), tmp_path)
    section = text.split("Audit trail checkpoints")[1]
    for checkpoint in taken:
        assert checkpoint.day.isoformat() in section
        assert checkpoint.digest in "".join(section.split())  # the digest in full (wrapped in its cell)
    assert section.count(str(ISSUE_MONTH.year)) >= 2 and "No checkpoint was taken this month." not in section
