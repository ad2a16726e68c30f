"""Celery tasks of the dashboard (registered through halalmsi.tasks)."""

from __future__ import annotations

from celery import shared_task

from halalmsi.dashboard import report_services as reports


@shared_task(name="halalmsi.build_monthly_report")
def build_monthly_report(report_id: int) -> str:
    return reports.monthly_report_build(report_id=report_id).status


@shared_task(name="halalmsi.monthly_report_previous_month")
def monthly_report_previous_month() -> int:
    return reports.monthly_report_for_previous_month().pk
