"""Monthly report: request (a row + a task on commit; a queued or running twin is reused) and build (PDF)."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Region
from core.errors import DomainError
from core.files.pdf import render_pdf
from core.models import ChainCheckpoint
from core.notifications.services import notification_send
from core.tasks import enqueue_on_commit
from reports import selectors as s
from reports.figures import all_figures
from reports.forms import default_schedule
from reports.models import MonthlyReport

log = logging.getLogger(__name__)
PENDING = (MonthlyReport.Status.QUEUED, MonthlyReport.Status.RUNNING)
# Rows listed by name in the PDF; the rest are counted (a national month has 100,000+ overdue cases: a PDF of
# thousands of pages helps nobody, and rendering it took minutes). The exports carry the full lists.
LISTED_ROWS = 50


def month_period(month: dt.date, region: Region | None) -> s.Period:
    last = calendar.monthrange(month.year, month.month)[1]
    return s.Period(start=month.replace(day=1), end=month.replace(day=last), region=region)


def monthly_report_request(*, month: dt.date, region: Region | None, actor: Any) -> MonthlyReport:
    """Queue a report (or return the pending one for the same month and region); the task runs after commit."""
    if month.day != 1:
        raise DomainError(_("A monthly report starts on the first day of a month."))
    with transaction.atomic():
        pending = (
            MonthlyReport.objects.select_for_update()
            .filter(month=month, region=region, status__in=PENDING)
            .order_by("created_at")
            .first()
        )
        if pending is not None:
            return pending
        report = MonthlyReport.objects.create(month=month, region=region, requested_by=actor)
        enqueue_on_commit("reports.build_monthly_report", report.pk)
    return report


def _context(report: MonthlyReport) -> dict[str, Any]:
    period = month_period(report.month, report.region)
    schedule = default_schedule()
    figures = all_figures(period, schedule)
    for figure in figures:
        figure.extra["data_uri"] = figure.chart.data_uri()
    overdue = s.overdue_cases(period)  # open cases overdue now (due dates move with each stage)
    lacking = s.programs_lacking_follow_up(period)
    return {
        "report": report,
        "period": period,
        "schedule": schedule,
        "figures": figures,
        "by_name": {f.name.replace("-", "_"): f for f in figures},
        "overdue_cases": list(overdue[:LISTED_ROWS]),
        "overdue_total": overdue.count(),
        # The national report: per province (38 rows); a region's report: per regency/city.
        "overdue_by_region": s.overdue_by_province(period) if report.region is None else s.overdue_by_region(period),
        "generated_on": timezone.localdate(),
        "lacking": list(lacking[:LISTED_ROWS]),
        "lacking_total": lacking.count(),
        "listed_rows": LISTED_ROWS,
        "checkpoints": checkpoints_of(period),
    }


def checkpoints_of(period: s.Period) -> list[dict[str, Any]]:
    """The month's daily checkpoints of the hash chains' heads (core/ops/checkpoints.py), printed as the outside
    record of the audit trail: a checkpoint removed or altered later no longer matches this page."""
    rows = []
    for checkpoint in ChainCheckpoint.objects.filter(day__range=(period.start, period.end)).order_by("day"):
        summary = checkpoint.summary or {}
        rows.append(
            {
                "day": checkpoint.day,
                "taken_at": checkpoint.taken_at,
                "recorded": sum(int(v.get("recorded", 0)) for v in summary.values()),
                "horizons": ", ".join(
                    f"{label.split('.')[-1]} {v.get('horizon', 0)}" for label, v in sorted(summary.items())
                ),
                "digest": checkpoint.digest,
            }
        )
    return rows


def monthly_report_pdf(*, year: int, month: int, region: Region | None = None) -> bytes:
    """The monthly report's PDF for a month (and region), rendered without storing anything (timing, previews)."""
    report = MonthlyReport(month=dt.date(year, month, 1), region=region)
    return render_pdf("reports/report_pdf.html", _context(report))


def monthly_report_build(*, report_id: int) -> MonthlyReport:
    """Render the PDF of a report. A report already done is left as it is (running the task twice is harmless)."""
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update(of=("self",)).select_related("region").get(pk=report_id)
        if report.status == MonthlyReport.Status.DONE:
            return report
        report.status = MonthlyReport.Status.RUNNING
        report.save(update_fields=["status"])
    try:
        pdf = render_pdf("reports/report_pdf.html", _context(report))  # same as monthly_report_pdf, stored
    except Exception as exc:
        log.exception("monthly report %s failed", report.pk)
        report.status = MonthlyReport.Status.FAILED
        report.error = str(exc)[:2000]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        raise
    region = report.region.code if report.region else "all"
    report.file.save(f"report-{report.month:%Y-%m}-{region}.pdf", ContentFile(pdf), save=False)
    report.status = MonthlyReport.Status.DONE
    report.error = ""
    report.finished_at = timezone.now()
    with transaction.atomic():
        report.save(update_fields=["file", "status", "error", "finished_at"])
        _report_ready_notify(report)
    return report


def _report_ready_notify(report: MonthlyReport) -> None:
    """Tell whoever asked for the report that it is ready (a report of the beat's schedule has nobody to tell)."""
    requester = report.requested_by
    if requester is None:
        return
    notification_send(
        recipient=requester,
        kind="report_ready",
        context={"report": {"pk": report.pk, "month": report.month, "region": str(report.region or "—")}},
        link=reverse("dashboard:report-download", args=[report.pk]),
        topic=f"report:{report.pk}",
        region_id=report.region_id,
    )


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def monthly_report_for_previous_month(*, today: dt.date | None = None) -> MonthlyReport:
    """Beat's job: the previous month's report for every region, built now unless one is already done."""
    month = previous_month(today or timezone.localdate())
    done = MonthlyReport.objects.filter(month=month, region=None, status=MonthlyReport.Status.DONE).first()
    if done is not None:
        return done
    pending = MonthlyReport.objects.filter(month=month, region=None, status__in=PENDING).first()
    report = pending or MonthlyReport.objects.create(month=month, region=None)
    return monthly_report_build(report_id=report.pk)
