"""`manage.py send_followup_reminders [--today YYYY-MM-DD]` and the beat schedule migration."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from tests.training.factories import program_with
from training.models import ReminderLog
from training.reminders import scan_today

DUE = date(2026, 2, 6)


def _run(*args: str, capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_followup_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_prints_how_many_reminders_it_sent(
    oscar: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    program_with(oscar)
    program_with(oscar)
    assert _run("--today", "2026-02-06", capture=django_capture_on_commit_callbacks) == (
        "Sent 2 follow-up reminder(s) for 2026-02-06.\n"
    )
    assert _run("--today", "2026-02-06", capture=django_capture_on_commit_callbacks) == (
        "Sent 0 follow-up reminder(s) for 2026-02-06.\n"
    )
    assert ReminderLog.objects.count() == 2
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_command_sends_nothing_before_the_due_date(oscar: Any, django_capture_on_commit_callbacks: Any) -> None:
    program_with(oscar)
    output = _run("--today", "2026-02-05", capture=django_capture_on_commit_callbacks)
    assert output == "Sent 0 follow-up reminder(s) for 2026-02-05.\n"
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_command_defaults_to_today_in_jakarta(oscar: Any, django_capture_on_commit_callbacks: Any) -> None:
    today = scan_today()
    program_with(oscar, end=today - timedelta(days=30))
    output = _run(capture=django_capture_on_commit_callbacks)
    assert output == f"Sent 1 follow-up reminder(s) for {today.isoformat()}.\n"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2026-02-30", "06-02-2026", "tomorrow"])
def test_command_refuses_a_bad_date_with_a_clear_error(oscar: Any, bad: str) -> None:
    program_with(oscar)
    with pytest.raises(CommandError, match="--today must be a date as YYYY-MM-DD"):
        call_command("send_followup_reminders", "--today", bad, stdout=StringIO())
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_migration_creates_the_daily_beat_schedule_at_seven_jakarta() -> None:
    beat = PeriodicTask.objects.select_related("crontab").get(task="training.send_followup_reminders")
    assert beat.enabled
    assert (beat.crontab.minute, beat.crontab.hour, beat.crontab.day_of_week) == ("0", "7", "*")
    assert str(beat.crontab.timezone) == "Asia/Jakarta"
