"""Training programs, enrollments with attendance, follow-ups per participant, and the reminder log.

`training` may read `applicants` (businesses); it never imports `certification`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Business
from core.files.names import random_file_name
from core.validators import MAX_PEOPLE, max_count_validator, sensible_date, visible_text

# What a programme is made of (the services, API and form write these; follow_up_due_on follows from them).
PROGRAM_FIELDS = (
    "title",
    "topic",
    "region",
    "organiser",
    "funding_source",
    "start_date",
    "end_date",
    "venue",
    "capacity",
    "responsible_officer",
    "follow_up_window_days",
    "open_for_registration",
    "registration_closes_on",
    "requires_approval",
)


def follow_up_due_on(end_date: date, window_days: int) -> date:
    """The day every attended participant should have had a completed follow-up by (the daily scan's column)."""
    return end_date + timedelta(days=window_days)


class Program(models.Model):
    class Topic(models.TextChoices):
        HALAL_PROCEDURE = "halal_procedure", _("Halal certification procedure")
        DIGITAL_MARKETING = "digital_marketing", _("Digital marketing")
        PRODUCTION_TOOLS = "production_tools", _("Modern production tools")
        BPOM_REGISTRATION = "bpom_registration", _("BPOM registration")
        EXPORT_READINESS = "export_readiness", _("Export readiness")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200, validators=[visible_text])
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    # The organising office's region: its officers see and run the programme (applicants.selectors.jurisdiction_q),
    # national staff see every programme. Empty only on programmes from before regions, which national staff keep.
    region = models.ForeignKey(
        "applicants.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        help_text=_("The province or regency of the office that organises the programme."),
    )
    organiser = models.CharField(_("organiser"), max_length=200)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), validators=[sensible_date])
    end_date = models.DateField(_("end date"), validators=[sensible_date])
    venue = models.CharField(_("venue"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), max_count_validator(MAX_PEOPLE)]
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="training_programs",
    )
    follow_up_window_days = models.PositiveSmallIntegerField(
        _("follow-up window (days)"),
        default=30,
        validators=[max_count_validator(3650)],
        help_text=_("Every attended participant should have a completed follow-up this many days after the end."),
    )
    open_for_registration = models.BooleanField(
        _("owners may join"),
        default=False,
        db_default=False,  # rows written by raw SQL (bench's COPY loader) without the column are closed
        help_text=_("Business owners see the program on their home page and can join it themselves."),
    )
    registration_closes_on = models.DateField(
        _("registration closes on"),
        null=True,
        blank=True,
        validators=[sensible_date],
        help_text=_("The last day owners can join; empty: the day before the program starts."),
    )
    requires_approval = models.BooleanField(
        _("officer approval required"),
        default=False,
        db_default=False,
        help_text=_("An owner's request waits for an officer's approval before it takes a place."),
    )
    # end_date + follow_up_window_days, kept by the services: the daily scan filters on this indexed column
    # instead of computing date arithmetic per row (which SQLite and PostgreSQL spell differently).
    follow_up_due_on = models.DateField(_("follow-up due on"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("training program")
        verbose_name_plural = _("training programs")
        indexes = [
            models.Index(fields=["follow_up_due_on"]),
            models.Index(fields=["responsible_officer"]),
            # Every owner's home lists the first open programmes (selectors.open_programs): the few open ones in
            # their order, not a scan of every programme ever held (96 ms at 200,000 programmes).
            models.Index(fields=["start_date", "id"], condition=Q(open_for_registration=True), name="program_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="program_end_not_before_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="program_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def session_days(self) -> list[date]:
        """Every day from the start to the end: the days attendance is taken on."""
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    @property
    def joins_close_on(self) -> date:
        """The last day an owner can join (the closing date, at the latest the day before the start)."""
        last = self.start_date - timedelta(days=1)
        return min(self.registration_closes_on, last) if self.registration_closes_on else last


class Enrollment(models.Model):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="enrollments"
    )
    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.PROTECT, related_name="training_enrollments"
    )
    # None: attendance not recorded yet.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        ordering = ["program", "business__name", "id"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["program", "business"], name="enrollment_unique_business")]
        indexes = [models.Index(fields=["program", "attended"])]

    def __str__(self) -> str:
        return f"{self.business_id} @ {self.program_id}"


class JoinRequest(models.Model):
    """An owner's request for a place that is not (yet) an enrollment: awaiting an officer, or on the waiting list.

    A request that gets a place becomes an Enrollment and the request row goes; a declined one stays for the owner
    to see. The waiting list is ordered by `queued_at` (when the request joined the list).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting officer approval")
        WAITING = "waiting", _("On the waiting list")
        DECLINED = "declined", _("Declined")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="join_requests"
    )
    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.CASCADE, related_name="training_join_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["program", "queued_at", "requested_at", "id"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [models.UniqueConstraint(fields=["program", "business"], name="joinrequest_unique_business")]
        indexes = [models.Index(fields=["program", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.business_id} -> {self.program_id} ({self.status})"


class SessionAttendance(models.Model):
    """Presence of a participant on one session day. `Enrollment.attended` is the summary the coverage counts read:
    present on at least one day (None while no day is recorded), kept by the attendance service."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="session_attendance"
    )
    day = models.DateField(_("session day"))
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["enrollment", "day"]
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        constraints = [models.UniqueConstraint(fields=["enrollment", "day"], name="sessionattendance_unique_day")]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.day}: {self.present}"


def evidence_upload_to(instance: FollowUp, filename: str) -> str:
    """Random stored name; the original name is kept in a field, never used as a path."""
    return random_file_name("training/evidence", filename)


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment assistance")
        MENTORING = "mentoring", _("Mentoring visit")
        EVALUATION = "evaluation", _("Evaluation")
        MARKET_ACCESS = "market_access", _("Market access")
        OTHER = "other", _("Other")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    planned_on = models.DateField(_("planned date"), validators=[sensible_date])
    done_on = models.DateField(_("done date"), null=True, blank=True, validators=[sensible_date])
    outcome = models.TextField(_("outcome"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField(_("original file name"), max_length=255, blank=True)
    evidence_content_type = models.CharField(_("content type"), max_length=50, blank=True)
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="training_follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["enrollment", "done_on"]), models.Index(fields=["planned_on", "done_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.planned_on})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class ReminderLog(models.Model):
    """One row per (program, step) claims that reminder: the unique constraint makes each step happen once."""

    class Step(models.IntegerChoices):
        DUE = 1, _("Follow-up due")
        WEEK = 2, _("One week overdue")
        ESCALATED = 3, _("Two weeks overdue, escalated to the task-force lead")

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="reminders")
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    scan_date = models.DateField(_("scan date"))
    # The scan run that inserted the row: lets a run find exactly the rows it claimed (ON CONFLICT DO NOTHING
    # does not report which rows it skipped).
    claim_token = models.UUIDField(_("claim token"), db_index=True)
    recipients = models.TextField(_("recipients"), blank=True)
    lacking_count = models.PositiveIntegerField(_("participants lacking follow-up"), default=0)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["program", "step"]
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        constraints = [models.UniqueConstraint(fields=["program", "step"], name="reminderlog_unique_program_step")]

    def __str__(self) -> str:
        return f"{self.program_id} step {self.step}"


def program_message_upload_to(instance: models.Model, filename: str) -> str:
    """Random stored name; the original name is kept in a field, never used as a path."""
    return random_file_name("training/messages", filename)


class ProgramMessage(models.Model):
    """A message on a training program. The officer's are announcements (and answers) every participant reads; an
    owner's are questions only the office and the asking owner read."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        QUESTION = "question", _("Question")

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.TextField(_("message"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=program_message_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("program message")
        verbose_name_plural = _("program messages")
        indexes = [models.Index(fields=["program", "created_at"], name="programmessage_program_idx")]

    def __str__(self) -> str:
        return f"#{self.program_id} {self.author_id}: {self.body[:40]}"
