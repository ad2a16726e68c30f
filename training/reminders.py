"""The daily follow-up reminder scan: exactly once per program and step, a fixed number of queries.

Steps, counted from `follow_up_due_on` (end date + follow-up window):
  step 1 on the due date, step 2 seven days later, step 3 fourteen days later (also to the task-force leads).

Decisions:
- Only the highest step that is due is sent. A step missed because the scan did not run that day is sent late,
  but once a later step went out an earlier one is never sent (a program first seen at due+10 gets step 2 only;
  at due+20 step 3 only). After step 3 the program is never reminded again.
- Programs are reminded while some *attended* participant lacks a completed follow-up. A program without
  recorded attendance has nobody to list and is not e-mailed (it still shows on the officer's pages).
- Exactly once: each (program, step) is claimed by inserting a ReminderLog row under a unique constraint with
  ON CONFLICT DO NOTHING; the run then reads back the rows carrying its own claim token. Two runs at the same time
  (or a retried task) cannot both claim a row: PostgreSQL makes the second insert wait for the first transaction
  and then skip the row. The reminders are stored through the notification service (core/notifications/services.py) in
  the claim's transaction and delivered after it commits, so a rolled back claim sends nothing; each delivery is
  claimed again before it is sent (sent once) and logged with the provider's answer.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When
from django.urls import reverse
from django.utils import timezone

from core.access import roles
from core.notifications.services import Message, notifications_send
from training.models import Enrollment, FollowUp, Program, ReminderLog
from training.selectors import with_coverage

STEP_OFFSETS = {1: 0, 2: 7, 3: 14}
ESCALATION_STEP = 3
JAKARTA = ZoneInfo("Asia/Jakarta")
logger = logging.getLogger(__name__)


def step_due(*, due_on: date, today: date) -> int:
    """The highest reminder step due on `today` for a program due on `due_on` (0: none yet)."""
    reached = [step for step, offset in STEP_OFFSETS.items() if today >= due_on + timedelta(days=offset)]
    return max(reached, default=0)


def programs_to_remind(*, today: date) -> list[Program]:
    """Two queries: due programs with a step that no equal or later reminder covers, then those of them below
    100 % coverage, with the step due today.

    Two queries, not one: in a single query PostgreSQL computes the three coverage counts for every program ever
    due (200,000 programs: 5 s) before the anti-join with the reminder log drops all but today's few hundred.
    """
    step = Case(
        When(follow_up_due_on__lte=today - timedelta(days=STEP_OFFSETS[3]), then=Value(3)),
        When(follow_up_due_on__lte=today - timedelta(days=STEP_OFFSETS[2]), then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    later_or_same_sent = ReminderLog.objects.filter(program=OuterRef("pk"), step__gte=OuterRef("step_due"))
    due_ids = list(
        Program.objects.filter(follow_up_due_on__lte=today)
        .annotate(step_due=step)
        .exclude(Exists(later_or_same_sent))
        .values_list("pk", flat=True)
    )
    if not due_ids:
        return []
    queryset = (
        with_coverage(Program.objects.select_related("responsible_officer", "region"))
        .filter(pk__in=due_ids)
        .annotate(step_due=step)
        .filter(covered_count__lt=F("attended_count"))
        .order_by("id")
    )
    return list(queryset)


def _lacking_by_program(program_ids: list[int]) -> dict[int, list[Enrollment]]:
    """One query: attended participants without a completed follow-up, for all claimed programs."""
    done = FollowUp.objects.filter(enrollment=OuterRef("pk"), done_on__isnull=False)
    lacking = (
        Enrollment.objects.filter(program_id__in=program_ids, attended=True)
        .exclude(Exists(done))
        .select_related("business", "business__region")
        .order_by("program_id", "business__name", "id")
    )
    grouped: dict[int, list[Enrollment]] = defaultdict(list)
    for enrollment in lacking:
        grouped[enrollment.program_id].append(enrollment)
    return grouped


def _leads_by_program(programs: list[Program]) -> dict[int, list[str]]:
    """The task-force leads each escalated programme is copied to: those whose jurisdiction covers its region (the
    queue's rule: national and unscoped leads, and leads of the region or of its province), plus the deployment's
    TASKFORCE_LEAD_EMAILS. One query for every programme."""
    national = Exists(Group.objects.filter(user=OuterRef("pk"), name__in=[roles.ADMIN, roles.NATIONAL]))
    rows = (
        get_user_model()
        .objects.filter(is_taskforce_lead=True, is_active=True)
        .annotate(national=national)
        .values_list("email", "national", "jurisdiction__region_id")
    )
    everywhere: set[str] = {email.lower() for email in settings.TASKFORCE_LEAD_EMAILS}
    by_region: dict[int, set[str]] = defaultdict(set)
    for email, is_national, region_id in rows:
        if is_national or region_id is None:
            everywhere.add(email)
        else:
            by_region[region_id].add(email)
    result = {}
    for program in programs:
        covering = {program.region_id, program.region.parent_id if program.region else None} - {None}
        result[program.pk] = sorted(everywhere.union(*(by_region[region] for region in covering)))
    return result


def _message(program: Program, step: int, lacking: list[Enrollment], leads: list[str]) -> Message:
    """The reminder for the programme's officer, through the notification service; escalations copy the leads."""
    context = {
        "program": {
            "pk": program.pk,
            "title": program.title,
            "follow_up_due_on": program.follow_up_due_on,
            "end_date": program.end_date,
        },
        "step": step,
        "lacking": [
            {
                "business": {
                    "name": e.business.name,
                    "nib": e.business.nib,
                    "region": {"name": e.business.region.name} if e.business.region else None,
                    "phone": e.business.phone,
                }
            }
            for e in lacking
        ],
        "list_url": f"{settings.SITE_URL}{reverse('training:participants-lacking')}?program={program.pk}",
        "escalated": step == ESCALATION_STEP,
    }
    return Message(
        recipient=program.responsible_officer,
        kind="followup_reminder",
        context=context,
        link=reverse("training:program-detail", args=[program.pk]),
        topic=f"program:{program.pk}",
        region_id=program.region_id,
        extra_emails=tuple(leads),
    )


def _mark_sent(claim_token: uuid.UUID) -> None:
    """After the claim committed: the reminders are with the notification service (its log says what arrived)."""
    ReminderLog.objects.filter(claim_token=claim_token).update(sent_at=timezone.now())


def followup_reminders_send(*, today: date) -> int:
    """Claim and send the follow-up reminders due on `today`; returns how many this run claimed (and sends)."""
    candidates = programs_to_remind(today=today)
    if not candidates:
        return 0
    claim_token = uuid.uuid4()
    by_id = {program.pk: program for program in candidates}
    with transaction.atomic():
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(program_id=program.pk, step=program.step_due, scan_date=today, claim_token=claim_token)
                for program in candidates
            ],
            ignore_conflicts=True,
        )
        claimed = list(ReminderLog.objects.filter(claim_token=claim_token).order_by("program_id"))
        if not claimed:
            return 0
        lacking = _lacking_by_program([log.program_id for log in claimed])
        escalated = [by_id[log.program_id] for log in claimed if log.step == ESCALATION_STEP]
        leads = _leads_by_program(escalated) if escalated else {}
        messages = []
        for log in claimed:
            program = by_id[log.program_id]
            recipients = [program.responsible_officer.email]
            if log.step == ESCALATION_STEP:
                recipients += [email for email in leads[program.pk] if email not in recipients]
            log.recipients = ", ".join(recipients)
            log.lacking_count = len(lacking.get(log.program_id, []))
            messages.append(_message(program, log.step, lacking.get(log.program_id, []), recipients[1:]))
        ReminderLog.objects.bulk_update(claimed, ["recipients", "lacking_count"])
        notifications_send(messages)
        transaction.on_commit(lambda: _mark_sent(claim_token))
    return len(claimed)


def reminder_recipients(log: ReminderLog) -> list[str]:
    return [part.strip() for part in log.recipients.split(",") if part.strip()]


def scan_today() -> date:
    """Today in Asia/Jakarta, whatever the server's clock zone."""
    return timezone.localdate(timezone=JAKARTA)
