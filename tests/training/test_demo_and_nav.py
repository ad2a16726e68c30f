"""The demo data from seed 000 (idempotent, reminders due) and the navigation entries per role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.demo import load_users
from core.web.navigation import items_for
from training import demo
from training.models import Enrollment, FollowUp, Program, ReminderLog
from training.reminders import followup_reminders_send, scan_today
from training.selectors import coverage_percent, with_coverage


@pytest.mark.django_db
def test_demo_loads_the_seed_programs_once(django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]) -> None:
    users = load_users()
    demo.load(users=users)
    counts = (Program.objects.count(), Enrollment.objects.count(), FollowUp.objects.count())
    demo.load(users=users)
    assert (Program.objects.count(), Enrollment.objects.count(), FollowUp.objects.count()) == counts

    programs = {p.topic: p for p in with_coverage(Program.objects.all())}
    marketing = programs[Program.Topic.DIGITAL_MARKETING]
    assert (marketing.enrolled_count, marketing.attended_count, marketing.venue) == (64, 64, "Bandar Lampung")
    tools = programs[Program.Topic.PRODUCTION_TOOLS]
    assert tools.covered_count == 0 and tools.attended_count > 0
    assert tools.follow_up_due_on < scan_today()
    assert coverage_percent(programs[Program.Topic.HALAL_PROCEDURE]) == 100
    assert {p.responsible_officer.email for p in programs.values()} == {"officer@demo.test"}

    with django_capture_on_commit_callbacks(execute=True):
        sent = followup_reminders_send(today=scan_today())
    reminded = set(ReminderLog.objects.values_list("program__topic", flat=True))
    assert Program.Topic.PRODUCTION_TOOLS in reminded
    assert Program.Topic.HALAL_PROCEDURE not in reminded
    assert sent == len(reminded) == len(mailoutbox)


@pytest.mark.django_db
def test_navigation_shows_training_pages_per_role(oscar: Any, alice: Any, rina: Any) -> None:
    officer = {item["url"] for item in items_for(oscar)}
    assert {reverse("training:program-list"), reverse("training:overdue")} <= officer
    assert reverse("training:my-trainings") not in officer
    owner = {item["url"] for item in items_for(alice)}
    assert reverse("training:my-trainings") in owner
    assert reverse("training:program-list") not in owner
    reviewer = {item["url"] for item in items_for(rina)}
    assert reverse("training:program-list") in reviewer and reverse("training:overdue") not in reviewer
