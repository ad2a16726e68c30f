"""The yearly composition confirmation (issue 17): asked on the anniversary, reminded, overdue; each step once."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from certification.aftercare import selectors
from certification.aftercare import services as cs
from certification.models import Certificate, CompositionCheck
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f

ISSUED = date(2025, 3, 10)


def _issued_on(cast: f.Cast, day: date, **kwargs: Any) -> Certificate:
    app = f.issued(cast, **kwargs)
    certificate = Certificate.objects.get(application=app)
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=moment)
    certificate.refresh_from_db()
    return certificate


def _run(day: date, capture: Any) -> cs.RunResult:
    with capture(execute=True):
        return cs.composition_checks_run(today=day)


def _asked(cast: f.Cast) -> list[str]:
    return [m.subject for m in mail.outbox if "konfirmasi tahunan" in m.subject and cast.owner.email in m.to]


def test_each_step_is_sent_once_on_its_day_and_a_second_run_sends_nothing(
    cast: f.Cast, django_capture_on_commit_callbacks: Any
) -> None:
    certificate = _issued_on(cast, ISSUED)
    mail.outbox.clear()
    assert _run(date(2026, 3, 9), django_capture_on_commit_callbacks) == cs.RunResult(created=0, sent=0)
    assert _run(date(2026, 3, 10), django_capture_on_commit_callbacks) == cs.RunResult(created=1, sent=1)
    assert _run(date(2026, 3, 10), django_capture_on_commit_callbacks) == cs.RunResult(created=0, sent=0)
    assert _run(date(2026, 3, 20), django_capture_on_commit_callbacks) == cs.RunResult(created=0, sent=0)
    assert _run(date(2026, 3, 24), django_capture_on_commit_callbacks).sent == 1  # the reminder, day 14
    assert _run(date(2026, 3, 25), django_capture_on_commit_callbacks).sent == 0
    assert _run(date(2026, 4, 9), django_capture_on_commit_callbacks).sent == 1  # the last one, day 30
    assert _run(date(2026, 4, 10), django_capture_on_commit_callbacks).sent == 0
    check = CompositionCheck.objects.get(certificate=certificate)
    assert (check.year, check.anniversary) == (1, date(2026, 3, 10))
    assert check.asked_at and check.reminded_at and check.last_reminded_at
    assert len(_asked(cast)) == 3
    body = mail.outbox[-1].body
    assert certificate.number in body and "komposisi" in body and "Last reminder." in body


def test_a_run_that_missed_days_sends_only_the_latest_step(
    cast: f.Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _issued_on(cast, ISSUED)
    mail.outbox.clear()
    assert _run(date(2026, 3, 26), django_capture_on_commit_callbacks) == cs.RunResult(created=1, sent=1)
    check = CompositionCheck.objects.get()
    assert check.asked_at == check.reminded_at and check.last_reminded_at is None
    assert len(_asked(cast)) == 1 and "Reminder." in mail.outbox[-1].body


def test_the_command_runs_as_of_a_day_and_twice_sends_nothing_the_second_time(
    cast: f.Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _issued_on(cast, ISSUED)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("composition_checks", "--today", "2026-03-10", stdout=out)
        call_command("composition_checks", "--today", "2026-03-10", stdout=out)
    assert out.getvalue().splitlines() == [
        "Opened 1 yearly confirmation(s); sent 1 message(s); 0 expiry reminder(s).",
        "Opened 0 yearly confirmation(s); sent 0 message(s); 0 expiry reminder(s).",
    ]


def test_a_revoked_certificate_and_a_young_one_are_not_asked(cast: f.Cast, make_user: Any) -> None:
    revoked = _issued_on(cast, ISSUED)
    Certificate.objects.filter(pk=revoked.pk).update(status=Certificate.Status.REVOKED)
    _issued_on(cast, date(2026, 3, 10))  # issued today: its first anniversary is next year
    assert cs.composition_checks_run(today=date(2026, 3, 10)) == cs.RunResult(created=0, sent=0)


def test_a_leap_day_certificate_is_asked_on_28_february(cast: f.Cast) -> None:
    _issued_on(cast, date(2024, 2, 29))
    assert cs.composition_checks_run(today=date(2025, 2, 28)).created == 1
    assert CompositionCheck.objects.get().anniversary == date(2025, 2, 28)


def test_the_owner_confirms_in_one_tap_once_and_someone_else_gets_404(client: Any, cast: f.Cast, bob: Any) -> None:
    certificate = _issued_on(cast, ISSUED)
    cs.composition_checks_run(today=date(2026, 3, 10))
    check = CompositionCheck.objects.get(certificate=certificate)
    url = reverse("certification:composition-confirm", args=[check.pk])
    client.force_login(bob)
    assert client.post(url, {"answer": "unchanged"}).status_code == 404
    client.force_login(cast.owner)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f'id="composition-check-{check.pk}"' in home and url in home
    response = client.post(url, {"answer": "unchanged"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.answer, check.answered_by_id) == ("unchanged", cast.owner.pk)
    answered_at = check.answered_at
    with translation.override("en"), pytest.raises(DomainError, match="already given"):
        cs.composition_confirm(actor=cast.owner, check_id=check.pk, answer="changed")
    check.refresh_from_db()
    assert (check.answer, check.answered_at) == ("unchanged", answered_at)
    assert f'id="composition-check-{check.pk}"' not in client.get(reverse("home")).content.decode()


def test_a_bad_answer_is_refused_and_writes_nothing(cast: f.Cast) -> None:
    _issued_on(cast, ISSUED)
    cs.composition_checks_run(today=date(2026, 3, 10))
    check = CompositionCheck.objects.get()
    with pytest.raises(DomainError, match="Choose whether anything changed"):
        cs.composition_confirm(actor=cast.owner, check_id=check.pk, answer="maybe")
    check.refresh_from_db()
    assert check.answered_at is None and check.answer == ""


def test_changed_sends_the_owner_on_to_file_the_change(client: Any, cast: f.Cast) -> None:
    certificate = _issued_on(cast, ISSUED)
    cs.composition_checks_run(today=date(2026, 3, 10))
    check = CompositionCheck.objects.get()
    client.force_login(cast.owner)
    response = client.post(reverse("certification:composition-confirm", args=[check.pk]), {"answer": "changed"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("certification:apply"))
    assert str(certificate.application.business_id) in response["Location"]


def test_the_task_force_list_and_its_overdue_filter_match_a_direct_count(
    client: Any, cast: f.Cast, oscar: Any, make_user: Any
) -> None:
    today = date(2026, 4, 20)
    for day in (date(2025, 3, 1), date(2025, 3, 10), date(2025, 4, 1)):
        _issued_on(cast, day)
    for day in (date(2026, 3, 1), date(2026, 3, 10), date(2026, 4, 1)):
        cs.composition_checks_run(today=day)
    answered = CompositionCheck.objects.get(anniversary=date(2026, 3, 10))
    cs.composition_confirm(actor=cast.owner, check_id=answered.pk, answer="unchanged")
    direct = CompositionCheck.objects.filter(
        answered_at__isnull=True, anniversary__lte=today - timedelta(days=30)
    ).count()
    assert direct == 1
    listed = selectors.composition_checks_for(oscar, status="overdue", today=today)
    assert listed.count() == direct
    client.force_login(oscar)
    with cal.as_of(today):
        page = client.get(reverse("certification:composition-checks"), {"status": "overdue"}, HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200 and page.content.decode().count("<tr") == 1 + direct
    export = client.get(reverse("certification:composition-checks"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    client.force_login(cast.owner)
    assert client.get(reverse("certification:composition-checks")).status_code == 403


def test_the_beat_schedule_runs_the_confirmations_daily(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="certification.composition_checks_run")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("7", "30")


def test_the_dashboard_counts_agree_with_the_task_force_list(cast: f.Cast, oscar: Any, client: Any) -> None:
    from reports import selectors as report_selectors

    today = date(2026, 4, 20)
    for day in (date(2025, 3, 1), date(2025, 3, 10), date(2025, 4, 1)):
        _issued_on(cast, day)
    for day in (date(2026, 3, 1), date(2026, 3, 10), date(2026, 4, 1)):
        cs.composition_checks_run(today=day)
    cs.composition_confirm(
        actor=cast.owner, check_id=CompositionCheck.objects.get(anniversary=date(2026, 3, 10)).pk, answer="unchanged"
    )
    period = report_selectors.Period(start=date(2026, 1, 1), end=date(2026, 12, 31))
    counts = report_selectors.composition_check_counts(period, today=today)
    listed = {
        status: selectors.composition_checks_for(oscar, status=status, today=today).count()
        for status in selectors.CHECK_STATUSES
    }
    assert counts == listed == {"confirmed": 1, "changed": 0, "waiting": 1, "overdue": 1}
    client.force_login(oscar)
    with cal.as_of(today):
        page = client.get(reverse("dashboard:index"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert 'id="composition-summary"' in page.content.decode()


# --- Renewal of certificates from before UU 6/2023 (they carry an expiry date) ---
def test_expiry_reminders_go_90_30_and_7_days_before_each_once(
    cast: f.Cast, django_capture_on_commit_callbacks: Any
) -> None:
    certificate = _issued_on(cast, date(2022, 6, 1))
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=date(2026, 6, 1))
    mail.outbox.clear()
    sent = [
        _run(day, django_capture_on_commit_callbacks).expiry_reminders
        for day in (
            date(2026, 3, 2),  # 91 days before: nothing yet
            date(2026, 3, 3),  # 90 days before
            date(2026, 3, 3),
            date(2026, 5, 2),  # 30 days before
            date(2026, 5, 20),
            date(2026, 5, 25),  # 7 days before
            date(2026, 5, 26),
        )
    ]
    assert sent == [0, 1, 0, 1, 0, 1, 0]
    subjects = [m.subject for m in mail.outbox if "berakhir" in m.subject]
    assert len(subjects) == 3 and all(certificate.number in s for s in subjects)
    assert sorted(certificate.expiry_reminders.values_list("days_before", flat=True)) == [7, 30, 90]


def test_a_renewal_is_an_action_on_a_dated_certificate_not_a_field_of_every_application(
    cast: f.Cast, client: Any
) -> None:
    certificate = _issued_on(cast, date(2022, 6, 1))
    app = certificate.application
    client.force_login(cast.owner)
    page = client.get(reverse("certification:owner-application", args=[app.pk])).content.decode()
    assert "renew=" not in page
    assert 'name="previous_certificate"' not in client.get(reverse("certification:apply")).content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=date(2026, 6, 1))
    page = client.get(reverse("certification:owner-application", args=[app.pk])).content.decode()
    assert 'id="certificate-expiry"' in page and f"renew={certificate.pk}" in page
    form = client.get(reverse("certification:apply"), {"business": app.business_id, "renew": certificate.pk})
    body = form.content.decode()
    assert f'<option value="{certificate.pk}" selected>' in body and 'name="developed_certificate"' not in body


def test_the_task_force_list_filters_by_regency_or_whole_province(cast: f.Cast, oscar: Any, client: Any) -> None:
    _issued_on(cast, ISSUED)  # a business of Kota Bandar Lampung (1871)
    cs.composition_checks_run(today=date(2026, 3, 10))
    client.force_login(oscar)
    url = reverse("certification:composition-checks")

    listed = selectors.composition_checks_for
    assert listed(oscar, region_code="18").count() == listed(oscar, region_code="1871").count() == 1
    assert listed(oscar, region_code="1801").count() == 0
    page = client.get(url, {"region": "18"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<optgroup" in page and 'id="composition-checks"' in page
