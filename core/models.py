from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.chain import HashChained, chain_constraint
from core.roles import roles_of


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The login is the e-mail address; what they may do comes from their roles (groups)."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May log in to the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_taskforce_lead = models.BooleanField(
        _("task-force lead"),
        default=False,
        help_text=_("Receives escalated reminders when training follow-up is 14 days overdue."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the owner proved the number in `phone` receives WhatsApp (a one-time code); cleared when it changes.
    whatsapp_verified_at = models.DateTimeField(_("WhatsApp verified at"), null=True, blank=True)
    # The bell's number, kept by the notification service (+ on each new one, - when read): the header shows it
    # from the user row every request loads anyway, so the bell costs no query.
    unread_notifications = models.IntegerField(_("unread notifications"), default=0, db_default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def roles(self) -> frozenset[str]:
        return roles_of(self)


class StaffAction(HashChained):
    """Audit trail: every state-changing request made by a staff member or assistant (who, what, when, from where).

    Domain events (the application timeline, model history) say what changed; this says who asked for it over HTTP,
    including requests that were refused. Each person's actions form one hash chain (core/chain.py).
    """

    chain_by = "actor"
    chain_fields = ("actor_id", "method", "path", "view_name", "status_code", "ip_address", "created_at")

    actor = models.ForeignKey(User, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    view_name = models.CharField(_("view"), max_length=200, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("staff action")
        verbose_name_plural = _("staff actions")
        indexes = [
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["actor", "id"], name="staffaction_chain_idx"),
        ]
        constraints = [chain_constraint("actor", name="staffaction_chain_no_fork")]

    def __str__(self) -> str:
        return f"{self.actor} {self.method} {self.path} → {self.status_code}"


class CalendarDay(models.Model):
    """A day the office does not work besides weekends: a national holiday, a collective leave day (cuti bersama)
    or an office closure (core/calendar.py counts working days from these rows).

    Holidays and cuti bersama are seeded from the `holidays` package once per year (CalendarYear) and then kept as
    they are; the admin adds closures and removes a wrong day. A removal is soft (`active=False` with who, when and
    why), so the calendar that gave any due date can be read back; at most one active row per date.
    """

    class Kind(models.TextChoices):
        NATIONAL_HOLIDAY = "national_holiday", _("national holiday")
        CUTI_BERSAMA = "cuti_bersama", _("collective leave (cuti bersama)")
        OFFICE_CLOSURE = "office_closure", _("office closure")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OFFICE_CLOSURE)
    name = models.CharField(_("name"), max_length=200, help_text=_("In Indonesian, as the decree or notice says."))
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Where the day comes from: the package and its version, a decree (SKB 3 Menteri), the office."),
    )
    active = models.BooleanField(_("active"), default=True)
    removed_reason = models.TextField(_("reason for removal"), blank=True)
    removed_by = models.ForeignKey(
        User, verbose_name=_("removed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("office calendar")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(active=True), name="core_calendarday_one_active_per_date"
            ),
            models.CheckConstraint(
                condition=models.Q(active=True) | ~models.Q(removed_reason=""),
                name="core_calendarday_removal_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays and cuti bersama were seeded (frozen: the package is never read again for it)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    seeded_at = models.DateTimeField(_("seeded at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=200, help_text=_("The `holidays` package and its version."))

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class FailedTask(models.Model):
    """A Celery task that failed for good (after its retries): the dead-letter list administrators work through.

    Written by the `task_failure` signal (core/tasks.py) wherever the task ran; retried or dismissed from the
    admin site or the staff page (core/deadletter.py). Tasks are idempotent, so retrying one is safe.
    """

    task_id = models.CharField(_("task id"), max_length=64, db_index=True)
    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    exception = models.CharField(_("error type"), max_length=200)
    message = models.TextField(_("error"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    request_id = models.CharField(_("request id"), max_length=128, blank=True)
    retries = models.PositiveSmallIntegerField(_("retries before failing"), default=0)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(_("resolution"), max_length=20, blank=True)

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        indexes = [models.Index(fields=["resolved_at", "-failed_at"], name="failedtask_open_idx")]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}: {self.exception}"


class Notification(models.Model):
    """Something a person was told, by kind (core/notification_services.py lists them all) and its context.

    The row is the in-app message (the inbox); each further channel (e-mail, WhatsApp, SMS) has a Delivery. The
    context is plain JSON (dates as ISO strings), so the message renders again in the reader's language.
    """

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    context = models.JSONField(_("context"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # What it is about, for the staff's delivery log per case: "application:12", "program:3", "certificate:9".
    topic = models.CharField(_("about"), max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.Model):
    """One notification sent by one outside channel, with its log (every attempt and the provider's answer).

    Claimed by a conditional UPDATE (queued → sending) before it is sent, so a task that runs twice sends once.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # E-mail: one or more addresses, comma separated (escalations copy leads outside the platform); else a number.
    address = models.CharField(_("address"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, db_index=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    provider_answer = models.TextField(_("provider's answer"), blank=True)
    log = models.JSONField(_("log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "updated_at"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.address}: {self.status}"


class NotificationPreference(models.Model):
    """A person's choice for one kind on one channel; without a row the kind's default applies
    (in-app always; e-mail on; WhatsApp on for important kinds once the number is verified; SMS off)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Delivery.Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notificationpreference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}: {self.enabled}"


class PhoneVerification(models.Model):
    """A one-time code sent by WhatsApp to prove a number (stored hashed; a few tries; a few codes an hour)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_verifications")
    phone = models.CharField(_("phone / WhatsApp"), max_length=20)
    code_hash = models.CharField(_("code"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")

    def __str__(self) -> str:
        return f"{self.user_id} {self.phone}"
