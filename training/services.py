"""Every write of training: programs, enrollments, attendance, follow-ups. The reminder scan is in reminders.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Business, Region
from applicants.selectors import covers, jurisdiction_of, jurisdiction_q
from core import generations
from core.access import roles
from core.errors import DomainError
from core.files.uploads import stored_suffix, validate_upload
from core.validators import MAX_PEOPLE, sensible_date
from training.joining.services import waiting_list_promote
from training.models import PROGRAM_FIELDS, Enrollment, FollowUp, Program, SessionAttendance, follow_up_due_on
from training.reminders import followup_reminders_send

MAX_FOLLOW_UP_WINDOW = 3650

__all__ = [
    "attendance_record",
    "enrollment_add",
    "followup_create",
    "followup_record",
    "followup_reminders_send",
    "program_create",
    "program_update",
]


def _today() -> date:
    return timezone.localdate()


def _check_manager(actor: Any) -> None:
    if not roles.has_role(actor, roles.OFFICER, roles.ADMIN):
        raise DomainError(_("Only task-force officers and administrators may manage trainings."))


def default_region(actor: Any) -> Region | None:
    """The region of a person who works for exactly one (their office's); None when national or several."""
    regions = jurisdiction_of(actor)
    return regions[0] if regions is not None and len(regions) == 1 else None


def _check_date(name: str, value: date | None) -> None:
    """A date from 1900 to 2100 (0001-01-01 and 9999-12-31 are typing accidents, and overflow date arithmetic)."""
    try:
        sensible_date(value)
    except ValidationError as error:
        raise DomainError(error.messages[0], errors={name: error.messages}) from None


def _check_program_fields(fields: Mapping[str, Any], *, enrolled: int = 0) -> None:
    for name in ("start_date", "end_date"):
        _check_date(name, fields[name])
    if fields.get("registration_closes_on") is not None:
        _check_date("registration_closes_on", fields["registration_closes_on"])
        if fields["registration_closes_on"] > fields["start_date"]:
            message = _("Registration must close on or before the start date.")
            raise DomainError(message, errors={"registration_closes_on": [message]})
    if fields["follow_up_window_days"] > MAX_FOLLOW_UP_WINDOW:
        message = _("The follow-up window is at most %(days)s days.") % {"days": MAX_FOLLOW_UP_WINDOW}
        raise DomainError(message, errors={"follow_up_window_days": [message]})
    if fields["capacity"] > MAX_PEOPLE:
        message = _("The capacity is at most %(limit)s.") % {"limit": f"{MAX_PEOPLE:,}"}
        raise DomainError(message, errors={"capacity": [message]})
    if fields["end_date"] < fields["start_date"]:
        message = _("The end date cannot be before the start date.")
        raise DomainError(message, errors={"end_date": [message]})
    if fields["capacity"] < 1:
        message = _("The capacity must be at least 1.")
        raise DomainError(message, errors={"capacity": [message]})
    if fields["capacity"] < enrolled:
        message = _("The capacity cannot be lower than the %(count)d participants already enrolled.") % {
            "count": enrolled
        }
        raise DomainError(message, errors={"capacity": [message]})
    officer = fields["responsible_officer"]
    if not roles.has_role(officer, roles.OFFICER, roles.ADMIN):
        message = _("The responsible officer must be a task-force officer or an administrator.")
        raise DomainError(message, errors={"responsible_officer": [message]})


def _check_program_region(fields: Mapping[str, Any], *, actor: Any) -> None:
    """A programme belongs to the organising office's region: the actor and the responsible officer work there
    (the one jurisdiction rule, applicants.selectors)."""
    region = fields.get("region")
    if region is None:
        message = _("Choose the region of the office that organises the programme.")
        raise DomainError(message, errors={"region": [message]})
    if not covers(actor, region.pk):
        message = _("You do not work for %(region)s: choose one of your regions.") % {"region": region}
        raise DomainError(message, errors={"region": [message]})
    if not covers(fields["responsible_officer"], region.pk):
        message = _("%(name)s does not work for %(region)s.") % {
            "name": fields["responsible_officer"],
            "region": region,
        }
        raise DomainError(message, errors={"responsible_officer": [message]})


def program_create(
    *,
    actor: Any,
    title: str,
    topic: str,
    organiser: str,
    start_date: date,
    end_date: date,
    venue: str,
    capacity: int,
    responsible_officer: Any,
    region: Region | None = None,
    funding_source: str = "",
    follow_up_window_days: int = 30,
    open_for_registration: bool = False,
    registration_closes_on: date | None = None,
    requires_approval: bool = False,
) -> Program:
    _check_manager(actor)
    fields = {
        "title": title,
        "topic": topic,
        "region": region if region is not None else default_region(actor),
        "organiser": organiser,
        "funding_source": funding_source,
        "start_date": start_date,
        "end_date": end_date,
        "venue": venue,
        "capacity": capacity,
        "responsible_officer": responsible_officer,
        "follow_up_window_days": follow_up_window_days,
        "open_for_registration": open_for_registration,
        "registration_closes_on": registration_closes_on,
        "requires_approval": requires_approval,
    }
    _check_program_fields(fields)
    _check_program_region(fields, actor=actor)
    return Program.objects.create(
        **fields, follow_up_due_on=follow_up_due_on(end_date, follow_up_window_days), created_by=actor
    )


@transaction.atomic
def program_update(*, program: Program, actor: Any, **changes: Any) -> Program:
    _check_manager(actor)
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = Program.objects.select_for_update().get(pk=program.pk)
    fields = {name: getattr(locked, name) for name in PROGRAM_FIELDS}
    fields.update(changes)
    _check_program_fields(fields, enrolled=locked.enrollments.count())
    if locked.region_id is not None or "region" in changes:  # a programme from before regions keeps none until set
        _check_program_region(fields, actor=actor)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.follow_up_due_on = follow_up_due_on(locked.end_date, locked.follow_up_window_days)
    locked.save(update_fields=[*PROGRAM_FIELDS, "follow_up_due_on", "updated_at"])
    waiting_list_promote(program=locked)  # a larger capacity gives the waiting list its places
    return locked


@transaction.atomic
def enrollment_add(*, program: Program, businesses: Iterable[Business], actor: Any) -> list[Enrollment]:
    """Enroll businesses; refused as a whole when one is already enrolled or the program would be over capacity."""
    _check_manager(actor)
    wanted = {business.pk: business for business in businesses}
    if not wanted:
        raise DomainError(_("Choose at least one business to enroll."))
    outside = Business.objects.filter(pk__in=wanted).exclude(jurisdiction_q(actor)).order_by("name")
    if outside.exists():  # staff enroll businesses of their own regions (owners from elsewhere join themselves)
        names = ", ".join(business.name for business in outside[:5])
        raise DomainError(_("These businesses are outside the regions you work for: %(names)s.") % {"names": names})
    # The program row lock serialises concurrent enrollments, so two officers cannot overfill it together.
    locked = Program.objects.select_for_update().get(pk=program.pk)
    already = list(
        Enrollment.objects.filter(program=locked, business_id__in=wanted)
        .select_related("business")
        .order_by("business__name")
    )
    if already:
        names = ", ".join(enrollment.business.name for enrollment in already)
        raise DomainError(_("Already enrolled in this program: %(names)s.") % {"names": names})
    enrolled = Enrollment.objects.filter(program=locked).count()
    if enrolled + len(wanted) > locked.capacity:
        raise DomainError(
            _("The program has %(free)d free place(s) of %(capacity)d; you tried to enroll %(count)d business(es).")
            % {"free": max(locked.capacity - enrolled, 0), "capacity": locked.capacity, "count": len(wanted)}
        )
    return Enrollment.objects.bulk_create(
        [Enrollment(program=locked, business_id=pk, enrolled_by=actor) for pk in wanted]
    )


@transaction.atomic
def attendance_record(*, program: Program, marks: Mapping[int, bool], actor: Any, day: date | None = None) -> int:
    """Record attendance of one session day for many participants at once (`marks`: business id -> present);
    without `day`, every day of the program. Returns the participants written.

    `Enrollment.attended` follows: present on at least one recorded day (what coverage and reminders count).
    """
    _check_manager(actor)
    if not marks:
        raise DomainError(_("No participants in the attendance sheet."))
    days = program.session_days
    if day is not None:
        if day not in days:
            message = _("%(day)s is not a day of this program (%(start)s to %(end)s).") % {
                "day": day.strftime("%d-%m-%Y"),
                "start": program.start_date.strftime("%d-%m-%Y"),
                "end": program.end_date.strftime("%d-%m-%Y"),
            }
            raise DomainError(message, errors={"day": [message]})
        days = [day]
    enrollments = dict(
        Enrollment.objects.filter(program=program, business_id__in=list(marks)).values_list("business_id", "pk")
    )
    strangers = sorted(set(marks) - set(enrollments))
    if strangers:
        names = ", ".join(Business.objects.filter(pk__in=strangers).order_by("name").values_list("name", flat=True))
        raise DomainError(
            _("Attendance refused: not enrolled in this program: %(names)s.") % {"names": names or strangers}
        )
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(enrollment_id=enrollments[business], day=session, present=present, recorded_by=actor)
            for business, present in marks.items()
            for session in days
        ],
        update_conflicts=True,
        unique_fields=["enrollment", "day"],
        update_fields=["present", "recorded_by", "recorded_at"],
    )
    present_once = SessionAttendance.objects.filter(enrollment=OuterRef("pk"), present=True)
    generations.bump("training")  # the dashboard's coverage reads attendance; bulk writes send no signals
    return Enrollment.objects.filter(pk__in=list(enrollments.values())).update(
        attended=Exists(present_once), attendance_recorded_at=timezone.now(), attendance_recorded_by=actor
    )


def _check_done_on(done_on: date | None, today: date) -> None:
    if done_on is not None and done_on > today:
        message = _("A follow-up cannot be done in the future.")
        raise DomainError(message, errors={"done_on": [message]})
    _check_date("done_on", done_on)


def _check_done_needs(*, kind: str, done_on: date | None, outcome: str, has_evidence: bool) -> None:
    """A follow-up counts as coverage only when done; done needs an outcome, equipment assistance also evidence."""
    if done_on is None:
        return
    if not (outcome or "").strip():
        message = _("A follow-up marked done needs its outcome.")
        raise DomainError(message, errors={"outcome": [message]})
    if kind == FollowUp.Kind.EQUIPMENT and not has_evidence:
        message = _("Equipment assistance marked done needs evidence (a handover record or photo: PDF, JPEG or PNG).")
        raise DomainError(message, errors={"evidence": [message]})


def _attach_evidence(follow_up: FollowUp, evidence: UploadedFile) -> None:
    mime = validate_upload(evidence, field="evidence")
    follow_up.evidence.save(f"evidence{stored_suffix(mime)}", evidence, save=False)
    follow_up.evidence_name = (evidence.name or "")[:255]
    follow_up.evidence_content_type = mime


@transaction.atomic
def followup_create(
    *,
    enrollment: Enrollment,
    kind: str,
    planned_on: date,
    responsible_officer: Any,
    actor: Any,
    done_on: date | None = None,
    outcome: str = "",
    evidence: UploadedFile | None = None,
    today: date | None = None,
) -> FollowUp:
    """Plan a follow-up for a participant (and record it at once when `done_on` is given)."""
    _check_manager(actor)
    _check_date("planned_on", planned_on)
    _check_done_on(done_on, today or _today())
    _check_done_needs(kind=kind, done_on=done_on, outcome=outcome, has_evidence=evidence is not None)
    if not roles.has_role(responsible_officer, roles.OFFICER, roles.ADMIN):
        message = _("The responsible officer must be a task-force officer or an administrator.")
        raise DomainError(message, errors={"responsible_officer": [message]})
    follow_up = FollowUp(
        enrollment=enrollment,
        kind=kind,
        planned_on=planned_on,
        done_on=done_on,
        outcome=outcome,
        responsible_officer=responsible_officer,
        created_by=actor,
    )
    if evidence is not None:
        _attach_evidence(follow_up, evidence)
    follow_up.save()
    return follow_up


@transaction.atomic
def followup_record(
    *,
    follow_up: FollowUp,
    done_on: date,
    outcome: str,
    actor: Any,
    evidence: UploadedFile | None = None,
    today: date | None = None,
) -> FollowUp:
    """Record that a planned follow-up was done (date, outcome, optional evidence)."""
    _check_manager(actor)
    _check_done_on(done_on, today or _today())
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    _check_done_needs(
        kind=locked.kind, done_on=done_on, outcome=outcome, has_evidence=evidence is not None or bool(locked.evidence)
    )
    locked.done_on = done_on
    locked.outcome = outcome
    update_fields = ["done_on", "outcome", "updated_at"]
    if evidence is not None:
        _attach_evidence(locked, evidence)
        update_fields += ["evidence", "evidence_name", "evidence_content_type"]
    locked.save(update_fields=update_fields)
    return locked
