"""Celery tasks of the reports: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from reports import services as reports


# The monthly report's budget is 10 s at national size (DESIGN.md); a minute past ten is a fault, not a busy night.
@shared_task(name="reports.build_monthly_report", soft_time_limit=600, time_limit=660)
def build_monthly_report(report_id: int) -> str:
    return reports.monthly_report_build(report_id=report_id).status


@shared_task(name="reports.monthly_report_previous_month", soft_time_limit=600, time_limit=660)
def monthly_report_previous_month() -> int:
    return reports.monthly_report_for_previous_month().pk


# A national export writes about a million rows; an hour past that is a fault.
@shared_task(name="reports.run_export_job", soft_time_limit=3600, time_limit=3660)
def run_export_job(job_id: int) -> str:
    from reports.exports.services import export_job_run

    return export_job_run(job_id=job_id).status


# A dashboard figure computed again after a change (reports.figures.BACKGROUND); seconds at national size.
@shared_task(name="reports.refresh_figure", soft_time_limit=300, time_limit=330)
def refresh_figure(
    *, figure: str, start: str, end: str, region_id: int | None, schedule_id: int | None, language: str
) -> str:
    from core.routing import replica_reads
    from reports.figures import figure_refresh_by_ids

    with replica_reads():  # the dashboard's figures may lag the primary by the replica's delay
        return figure_refresh_by_ids(
            figure=figure, start=start, end=end, region_id=region_id, schedule_id=schedule_id, language=language
        )
