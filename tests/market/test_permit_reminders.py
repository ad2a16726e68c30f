"""Permit expiry reminders: 90, 30 and 7 days before expiry, each exactly once, by the daily beat task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django_celery_beat.models import PeriodicTask

from applicants.models.permits import DistributionPermit, PermitReminder
from applicants.permits.reminders import permit_reminders_send, step_due
from applicants.tasks import send_permit_reminders
from core.models import Notification
from core.notifications.services import render_email
from tests.applicants.factories import ProductFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _permit(owner: Any, expires_on: dt.date, kind: str = "pirt") -> DistributionPermit:
    product = ProductFactory(business__owner=owner)
    return DistributionPermit.objects.create(
        product=product,
        kind=kind,
        number="206187101012325" if kind == "pirt" else "",
        issued_on=dt.date(2021, 1, 1),
        expires_on=expires_on,
        created_by=owner,
    )


@pytest.mark.parametrize(
    ("days_left", "step"), [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)]
)
def test_the_step_due_is_the_nearest_threshold_reached(days_left: int, step: int | None) -> None:
    assert step_due(expires_on=TODAY + dt.timedelta(days=days_left), today=TODAY) == step


def test_each_reminder_goes_out_exactly_once_as_the_expiry_comes_nearer(alice: Any) -> None:
    permit = _permit(alice, TODAY + dt.timedelta(days=90))
    sent = []
    for offset in range(0, 95):
        sent.append(permit_reminders_send(today=TODAY + dt.timedelta(days=offset)))
        permit_reminders_send(today=TODAY + dt.timedelta(days=offset))  # a second run the same day sends nothing
    assert sum(sent) == 3
    assert sorted(PermitReminder.objects.filter(permit=permit).values_list("days_before", flat=True)) == [7, 30, 90]
    told = list(Notification.objects.filter(kind="permit_expiry").order_by("id"))  # the notification service's rows
    assert [n.recipient_id for n in told] == [alice.pk] * 3
    assert [d.address for d in told[0].deliveries.all()] == [alice.email]
    subject, body = render_email(told[0])
    assert "berakhir dalam 90 hari" in subject and "206187101012325" in body


def test_a_permit_first_seen_late_gets_only_the_nearest_reminder(alice: Any) -> None:
    permit = _permit(alice, TODAY + dt.timedelta(days=20))
    assert permit_reminders_send(today=TODAY) == 1
    assert permit_reminders_send(today=TODAY + dt.timedelta(days=1)) == 0
    assert list(permit.reminders.values_list("days_before", flat=True)) == [30]


def test_a_renewed_permit_is_reminded_again_for_its_new_expiry(alice: Any) -> None:
    permit = _permit(alice, TODAY + dt.timedelta(days=5))
    assert permit_reminders_send(today=TODAY) == 1
    permit.expires_on = TODAY + dt.timedelta(days=6)
    permit.save(update_fields=["expires_on"])
    assert permit_reminders_send(today=TODAY) == 1


def test_placeholders_and_permits_without_expiry_are_never_reminded(alice: Any) -> None:
    _permit(alice, TODAY + dt.timedelta(days=5), kind="none")
    product = ProductFactory(business__owner=alice)
    DistributionPermit.objects.create(product=product, kind="pirt", number="206187101012325", created_by=alice)
    assert permit_reminders_send(today=TODAY) == 0
    assert not Notification.objects.exists()


def test_the_task_runs_daily_from_the_beat_schedule_and_twice_is_harmless(alice: Any) -> None:
    from django.utils import timezone

    _permit(alice, timezone.localdate() + dt.timedelta(days=7))
    task = PeriodicTask.objects.get(task="applicants.send_permit_reminders")
    assert task.enabled
    assert send_permit_reminders.delay().get() == 1
    assert send_permit_reminders.delay().get() == 0
    assert Notification.objects.filter(kind="permit_expiry", recipient=alice).count() == 1
