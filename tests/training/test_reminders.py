"""The follow-up reminder scan: window edges, steps once each, coverage, escalation, fixed query count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import override_settings

from tests.training.factories import FollowUpFactory, program_with
from training.models import FollowUp, ReminderLog
from training.reminders import followup_reminders_send, step_due

DUE = date(2026, 2, 6)  # factories: end 2026-01-07 + 30 days


@pytest.fixture
def scan(django_capture_on_commit_callbacks: Any) -> Callable[[date], int]:
    """Run the scan and the e-mails it queues on commit (the test transaction never commits)."""

    def run(today: date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return followup_reminders_send(today=today)

    return run


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, 0), (0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (400, 3)],
)
def test_step_due_follows_the_window_edges(offset: int, expected: int) -> None:
    assert step_due(due_on=DUE, today=DUE + timedelta(days=offset)) == expected


@pytest.mark.django_db
def test_scan_sends_nothing_the_day_before_the_due_date(oscar: Any, scan: Any, mailoutbox: list[Any]) -> None:
    program_with(oscar)
    assert scan(DUE - timedelta(days=1)) == 0
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_scan_sends_step_one_on_the_due_date_to_the_responsible_officer(
    oscar: Any, scan: Any, mailoutbox: list[Any]
) -> None:
    program = program_with(oscar, attended=3, covered=1)
    assert scan(DUE) == 1
    log = ReminderLog.objects.get()
    assert (log.program_id, log.step, log.lacking_count) == (program.pk, 1, 2)
    assert log.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["oscar@example.test"]
    assert f"http://127.0.0.1:8000/trainings/{program.pk}/" in message.body
    assert "still lack a completed follow-up" in message.body  # English part
    assert "belum" in message.body.lower()  # Indonesian part
    names = [enrollment.business.name for enrollment in program.enrollments.all()]
    covered = FollowUp.objects.get().enrollment.business.name
    assert covered not in message.body
    assert all(name in message.body for name in names if name != covered)


@pytest.mark.django_db
def test_scan_picks_exactly_the_programs_due_at_each_edge(oscar: Any, scan: Any, mailoutbox: list[Any]) -> None:
    today = date(2026, 3, 1)
    not_yet = program_with(oscar, end=today - timedelta(days=29))  # due tomorrow
    due_today = program_with(oscar, end=today - timedelta(days=30))
    week = program_with(oscar, end=today - timedelta(days=37))
    fortnight = program_with(oscar, end=today - timedelta(days=44))
    covered = program_with(oscar, end=today - timedelta(days=44), attended=2, covered=2)
    no_attendance = program_with(oscar, end=today - timedelta(days=44), attended=0)

    assert scan(today) == 3
    sent = dict(ReminderLog.objects.values_list("program_id", "step"))
    assert sent == {due_today.pk: 1, week.pk: 2, fortnight.pk: 3}
    assert not_yet.pk not in sent and covered.pk not in sent and no_attendance.pk not in sent
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_each_step_is_sent_once_over_the_days(oscar: Any, scan: Any, mailoutbox: list[Any]) -> None:
    program = program_with(oscar)
    sent_per_day = [scan(DUE + timedelta(days=offset)) for offset in range(0, 30)]
    assert sum(sent_per_day) == 3
    assert [offset for offset, sent in enumerate(sent_per_day) if sent] == [0, 7, 14]
    assert list(ReminderLog.objects.filter(program=program).values_list("step", flat=True)) == [1, 2, 3]
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_running_the_scan_twice_sends_once(oscar: Any, scan: Any, mailoutbox: list[Any]) -> None:
    program_with(oscar)
    assert scan(DUE) == 1
    assert scan(DUE) == 0
    assert ReminderLog.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_missed_step_is_sent_late_but_never_an_earlier_one_after_a_later(
    oscar: Any, scan: Any, mailoutbox: list[Any]
) -> None:
    program = program_with(oscar)
    assert scan(DUE + timedelta(days=9)) == 1  # steps 1 was missed: only step 2, the highest due, goes out
    assert scan(DUE + timedelta(days=10)) == 0
    assert scan(DUE + timedelta(days=3)) == 0  # a late re-run for an earlier day cannot send step 1 now
    assert list(ReminderLog.objects.filter(program=program).values_list("step", flat=True)) == [2]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_no_reminder_when_coverage_is_complete(oscar: Any, scan: Any, mailoutbox: list[Any]) -> None:
    program_with(oscar, attended=3, covered=3)
    assert scan(DUE + timedelta(days=20)) == 0
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_no_later_reminder_when_coverage_became_complete_after_step_one(
    oscar: Any, scan: Any, mailoutbox: list[Any]
) -> None:
    program = program_with(oscar, attended=2, covered=0)
    assert scan(DUE) == 1
    for enrollment in program.enrollments.all():
        FollowUpFactory(enrollment=enrollment, done_on=DUE + timedelta(days=2))
    assert scan(DUE + timedelta(days=7)) == 0
    assert scan(DUE + timedelta(days=14)) == 0
    assert list(ReminderLog.objects.values_list("step", flat=True)) == [1]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_planned_but_not_done_follow_up_does_not_count_as_coverage(
    oscar: Any, scan: Any, mailoutbox: list[Any]
) -> None:
    program = program_with(oscar, attended=1)
    FollowUpFactory(enrollment=program.enrollments.get(), done_on=None)
    assert scan(DUE) == 1


@pytest.mark.django_db
@override_settings(TASKFORCE_LEAD_EMAILS=["satgas.lead@lampung.test"])
def test_step_three_is_escalated_to_the_task_force_leads(
    oscar: Any, make_user: Any, scan: Any, mailoutbox: list[Any]
) -> None:
    make_user("lead@example.test", "officer", is_taskforce_lead=True)
    program_with(oscar)
    assert scan(DUE + timedelta(days=7)) == 1
    assert mailoutbox[-1].to == ["oscar@example.test"]
    assert scan(DUE + timedelta(days=14)) == 1
    escalation = mailoutbox[-1]
    assert escalation.to == ["oscar@example.test", "lead@example.test", "satgas.lead@lampung.test"]
    assert "Escalation" in escalation.subject
    log = ReminderLog.objects.get(step=3)
    assert "lead@example.test" in log.recipients and "satgas.lead@lampung.test" in log.recipients


# due programs, those below full coverage, savepoint, claim insert, read back the claim, lacking participants,
# leads, bulk update, the notifications, the unread counts, the channel choices, the deliveries, release savepoint;
# after commit the delivery task (claim, read back, log) and the "sent" update.
SCAN_QUERIES = 17


@pytest.mark.django_db
@pytest.mark.parametrize("programs", [1, 30])
def test_the_scans_query_count_does_not_grow_with_the_number_of_programs(
    programs: int,
    oscar: Any,
    make_user: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    make_user("lead@example.test", "officer", is_taskforce_lead=True)
    for _ in range(programs):
        program_with(oscar, attended=3, covered=1)
    with django_assert_num_queries(SCAN_QUERIES), django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders_send(today=DUE + timedelta(days=14)) == programs
    assert len(mailoutbox) == programs
    assert ReminderLog.objects.filter(step=3, sent_at__isnull=False).count() == programs
