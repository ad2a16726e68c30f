"""Celery: queues by task name, time limits, retries with backoff for e-mail, and the dead-letter list of tasks that
failed for good (core.FailedTask, /staff/failed-tasks/)."""

from __future__ import annotations

import smtplib
import uuid
from pathlib import Path
from typing import Any, ClassVar

import pytest
from celery import shared_task
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import translation

from certification.models import ApplicationEvent
from certification.tasks import certificate_render_pdf, notify_owner_of_event
from core.errors import DomainError
from core.models import Delivery, FailedTask, User
from core.ops import beat
from core.ops.deadletter import failed_task_retry
from core.ops.locks import AdvisoryLock
from core.tasks import OutboundTask, ping
from halalmsi.celery import app as celery_app
from tests.certification import factories as f


@shared_task(name="tests.always_fails")
def always_fails(item_id: int) -> None:
    raise ValueError(f"item {item_id} is broken")


@shared_task(name="tests.records")
def records(value: str) -> str:
    Path(value).write_text("ran")
    return value


class FlakySMTP(EmailBackend):
    """An SMTP server that drops the connection `failures` times, then delivers (to Django's test outbox)."""

    failures: ClassVar[int] = 0
    attempts: ClassVar[int] = 0

    def send_messages(self, messages: Any) -> int:
        type(self).attempts += 1
        if type(self).attempts <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def as_in_a_worker() -> None:
    """Eager tasks run their retries and report failures as a worker would, instead of raising to the caller
    (development and the other tests propagate them: conftest's `_celery_mode`)."""
    celery_app.conf.task_eager_propagates = False


@pytest.fixture
def flaky_smtp(settings: Any, as_in_a_worker: None) -> type[FlakySMTP]:
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.attempts = 0
    return FlakySMTP


def queue_of(task_name: str) -> str:
    route = celery_app.amqp.router.route({}, task_name, (), {})
    return str(route["queue"].name)


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("certification.notify_owner_of_event", "mail"),
        ("certification.notify_reviewers_of_resubmission", "mail"),
        ("certification.notify_owner_of_revocation", "mail"),
        ("training.send_followup_reminders", "mail"),
        ("training.send_facilitation_reminders", "mail"),
        ("applicants.send_permit_reminders", "mail"),
        ("notifications.deliver", "mail"),
        ("core.notify_account_email", "mail"),
        ("certification.certificate_render_pdf", "pdf"),
        ("reports.build_monthly_report", "reports"),
        ("reports.monthly_report_previous_month", "reports"),
        ("core.ping", "default"),
    ],
)
def test_tasks_are_routed_to_their_queue_by_name(task: str, queue: str) -> None:
    assert queue_of(task) == queue


def test_every_task_has_a_soft_and_a_hard_time_limit_and_the_slow_ones_their_own() -> None:
    assert (celery_app.conf.task_soft_time_limit, celery_app.conf.task_time_limit) == (60, 90)
    assert (certificate_render_pdf.soft_time_limit, certificate_render_pdf.time_limit) == (120, 180)
    report = celery_app.tasks["reports.build_monthly_report"]
    assert (report.soft_time_limit, report.time_limit) == (600, 660)
    reminders = celery_app.tasks["training.send_followup_reminders"]
    assert (reminders.soft_time_limit, reminders.time_limit) == (300, 360)


@pytest.mark.parametrize(
    "name",
    [
        "certification.notify_owner_of_event",
        "certification.notify_reviewers_of_resubmission",
        "certification.notify_owner_of_revocation",
        "training.send_followup_reminders",
        "training.send_facilitation_reminders",
        "applicants.send_permit_reminders",
    ],
)
def test_e_mail_tasks_retry_smtp_and_network_errors_with_exponential_backoff(name: str) -> None:
    task = celery_app.tasks[name]
    assert task.autoretry_for == (OSError,) and issubclass(smtplib.SMTPException, OSError)
    assert task.retry_backoff is True and task.retry_jitter is True
    assert task.retry_backoff_max == 600 and task.max_retries == 6
    if name.startswith("certification.notify"):
        assert isinstance(task, OutboundTask)  # the claim rolls back with a failed send


@pytest.fixture
def event(alice: User, rina: User, pat: User) -> ApplicationEvent:
    f.national_quota(places=10)
    app = f.drive(f.draft(alice, "self_declare"), "submitted", f.Cast(owner=alice, reviewer=rina, pph=pat))
    last = ApplicationEvent.objects.filter(application=app).order_by("id").last()
    assert last is not None
    return last


def test_an_e_mail_that_fails_twice_is_retried_and_sent_once(
    flaky_smtp: type[FlakySMTP], event: Any, django_capture_on_commit_callbacks: Any
) -> None:
    flaky_smtp.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_owner_of_event.delay(event.pk).get(timeout=5) == 1
    assert flaky_smtp.attempts == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [event.application.business.owner.email]
    delivery = Delivery.objects.get(notification__recipient=event.application.business.owner)
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    event.refresh_from_db()
    assert event.owner_notified_at is not None
    assert notify_owner_of_event.delay(event.pk).get(timeout=5) == 0  # run again: told once
    assert len(mail.outbox) == 1 and not FailedTask.objects.exists()


def test_an_e_mail_that_keeps_failing_is_logged_as_failed_after_its_attempts(
    flaky_smtp: type[FlakySMTP], event: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    flaky_smtp.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        notify_owner_of_event.delay(event.pk)
    assert flaky_smtp.attempts == settings.NOTIFY_MAX_ATTEMPTS
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", settings.NOTIFY_MAX_ATTEMPTS)
    assert all("Connection unexpectedly closed" in entry["answer"] for entry in delivery.log)
    assert mail.outbox == []


def test_a_failed_task_is_recorded_with_its_error_and_arguments(db: None, as_in_a_worker: None) -> None:
    assert always_fails.delay(7).failed()
    failed = FailedTask.objects.get()
    assert (failed.task_name, failed.args, failed.kwargs, failed.exception) == (
        "tests.always_fails",
        [7],
        {},
        "ValueError",
    )
    assert failed.message == "item 7 is broken"


def test_a_task_that_succeeds_leaves_no_dead_letter(db: None) -> None:
    assert ping.delay("fine").get(timeout=1) == "fine"
    assert not FailedTask.objects.exists()


# --- The dead-letter page ------------------------------------------------------------------------------------------
def failed_row(task_name: str = "tests.records", args: list[Any] | None = None) -> FailedTask:
    return FailedTask.objects.create(
        task_id="abc", task_name=task_name, args=args or [], exception="OSError", message="boom"
    )


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_administrators_see_open_failed_tasks_with_their_error(ayu: User) -> None:
    failed_row()
    page = as_user(ayu).get(reverse("failed-tasks"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "tests.records" in html and "OSError" in html and "boom" in html


@pytest.mark.parametrize("user_name", ["alice", "pat", "rina", "oscar"])
def test_other_roles_are_refused_the_failed_task_page(request: pytest.FixtureRequest, db: None, user_name: str) -> None:
    failed_row()
    response = as_user(request.getfixturevalue(user_name)).get(reverse("failed-tasks"))
    assert response.status_code == 403
    response = as_user(request.getfixturevalue(user_name)).post(
        reverse("failed-tasks"), {"task": FailedTask.objects.get().pk, "action": "dismiss"}
    )
    assert response.status_code == 403
    assert FailedTask.objects.get().resolved_at is None


@pytest.mark.parametrize("rows", [1, 12])
def test_the_failed_task_page_runs_a_fixed_number_of_queries(
    ayu: User, rows: int, django_assert_num_queries: Any
) -> None:
    for _ in range(rows):
        failed_row()
    client = as_user(ayu)
    client.get(reverse("failed-tasks"))  # session and user are loaded once per request anyway
    with django_assert_num_queries(4):
        assert client.get(reverse("failed-tasks"), {"all": "1"}).status_code == 200


def test_retrying_a_failed_task_sends_it_again_once(
    ayu: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    marker = tmp_path / "ran"
    row = failed_row(args=[str(marker)])
    client = as_user(ayu)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("failed-tasks"), {"task": row.pk, "action": "retry"})
    assert response.status_code == 302
    assert marker.read_text() == "ran"
    row.refresh_from_db()
    assert (row.resolution, row.resolved_by) == ("retried", ayu) and row.resolved_at is not None
    marker.unlink()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("failed-tasks"), {"task": row.pk, "action": "retry"})
    assert not marker.exists()  # already handled: not sent twice


def test_dismissing_a_failed_task_keeps_it_out_of_the_open_list(ayu: User) -> None:
    row = failed_row()
    client = as_user(ayu)
    assert client.post(reverse("failed-tasks"), {"task": row.pk, "action": "dismiss"}).status_code == 302
    row.refresh_from_db()
    assert row.resolution == "dismissed"
    assert "tests.records" not in client.get(reverse("failed-tasks")).content.decode()
    assert "tests.records" in client.get(reverse("failed-tasks"), {"all": "1"}).content.decode()


def test_a_bad_failed_task_action_is_refused_and_changes_nothing(ayu: User) -> None:
    row = failed_row()
    client = as_user(ayu)
    response = client.post(reverse("failed-tasks"), {"task": row.pk, "action": "explode"})
    assert response.status_code == 400
    assert "Pilih" in response.content.decode() or "Choose retry or dismiss" in response.content.decode()
    assert client.post(reverse("failed-tasks"), {"task": "999999", "action": "retry"}).status_code == 404
    row.refresh_from_db()
    assert row.resolved_at is None


def test_retrying_a_task_that_no_longer_exists_is_refused_and_leaves_it_open(ayu: User) -> None:
    row = failed_row(task_name="gone.task")
    with translation.override("en"), pytest.raises(DomainError, match="The task gone.task no longer exists"):
        failed_task_retry(failed_task=row, actor=ayu)
    row.refresh_from_db()
    assert row.resolved_at is None


def test_the_admin_site_lists_failed_tasks_read_only(ayu: User, django_user_model: Any) -> None:
    ayu.is_superuser = True
    ayu.save()
    row = failed_row()
    client = as_user(ayu)
    assert client.get(reverse("admin:core_failedtask_changelist")).status_code == 200
    assert client.get(reverse("admin:core_failedtask_add")).status_code == 403
    page = client.get(reverse("admin:core_failedtask_change", args=[row.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content


# --- Beat's heartbeat ------------------------------------------------------------------------------------------------
def test_beat_touches_its_heartbeat_file_on_every_tick(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BEAT_HEARTBEAT_FILE = str(tmp_path / "beat-heartbeat")
    monkeypatch.setattr(beat.DatabaseScheduler, "tick", lambda self, *a, **k: 5.0)
    scheduler = object.__new__(beat.HeartbeatScheduler)  # no schedule to load: only the tick matters here
    scheduler.leader_lock = AdvisoryLock(f"test-beat-{uuid.uuid4().hex}")  # not the real beat's lock
    scheduler._told_standby = False
    try:
        assert scheduler.tick() == 5.0
    finally:
        scheduler.leader_lock.release()
    assert (tmp_path / "beat-heartbeat").exists()
    assert celery_app.conf.beat_scheduler == "core.ops.beat:HeartbeatScheduler"
