"""Monthly reports in the admin site: listed and readable, never added or edited there (the worker builds them)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from core.models import User
from reports.models import MonthlyReport


def test_monthly_reports_are_listed_read_only_and_a_failed_one_may_be_deleted(ayu: User, rina: User) -> None:
    ayu.is_superuser = True
    ayu.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(ayu)
    report = MonthlyReport.objects.create(month=dt.date(2026, 10, 1), requested_by=rina, status="failed", error="x")
    assert client.get(reverse("admin:reports_monthlyreport_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_monthlyreport_add")).status_code == 403
    change = reverse("admin:reports_monthlyreport_change", args=[report.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"status": "done"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "failed"
    client.post(reverse("admin:reports_monthlyreport_delete", args=[report.pk]), {"post": "yes"})
    assert not MonthlyReport.objects.exists()
