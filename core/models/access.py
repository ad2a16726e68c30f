"""Who people are and what they did: the user (e-mail login, roles as Django groups) and the hash-chained trail of
staff actions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access.names import first_name
from core.access.roles import roles_of
from core.ops.chain import HashChained, chain_constraint


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
        """The first name to greet with: never a title ("Ustaz", "Ibu", "H."), never the e-mail address ("" when
        the person gave no name)."""
        return first_name(self.full_name)

    @property
    def roles(self) -> frozenset[str]:
        return roles_of(self)


class StaffAction(HashChained):
    """Audit trail: every state-changing request made by a staff member or assistant (who, what, when, from where).

    Domain events (the application timeline, model history) say what changed; this says who asked for it over HTTP,
    including requests that were refused. Each person's actions form one hash chain (core/ops/chain.py).
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
