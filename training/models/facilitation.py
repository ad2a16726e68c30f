"""BPOM facilitation cases: the office helps an owner register a product with BPOM (an MD number).

A short tracked case: requested -> documents complete -> submitted to BPOM -> registered (MD number) or not
registered (reason). Each stage is due a number of working days after it starts; the office sets those numbers
(FacilitationStageDays). Imported at the end of training/models.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilitationState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DOCUMENTS_COMPLETE = "documents_complete", _("Documents complete")
    SUBMITTED = "submitted", _("Submitted to BPOM")
    REGISTERED = "registered", _("Registered")
    NOT_REGISTERED = "not_registered", _("Not registered")


OPEN_STATES = (FacilitationState.REQUESTED, FacilitationState.DOCUMENTS_COMPLETE, FacilitationState.SUBMITTED)
# Working days the office gives each open stage when it has not set its own.
DEFAULT_STAGE_DAYS = {
    FacilitationState.REQUESTED: 10,
    FacilitationState.DOCUMENTS_COMPLETE: 5,
    FacilitationState.SUBMITTED: 40,
}


class FacilitationStageDays(models.Model):
    """The office's working-day allowance for one open stage of a facilitation case."""

    state = models.CharField(_("stage"), max_length=20, unique=True, choices=[(s.value, s.label) for s in OPEN_STATES])
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        ordering = ["state"]
        verbose_name = _("facilitation stage allowance")
        verbose_name_plural = _("facilitation stage allowances")

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.working_days}"


class FacilitationCase(models.Model):
    business = models.ForeignKey(
        "applicants.Business", verbose_name=_("business"), on_delete=models.PROTECT, related_name="facilitations"
    )
    product = models.ForeignKey(
        "applicants.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitations",
    )
    program = models.ForeignKey(
        "training.Program",
        verbose_name=_("training that led to it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitations",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=FacilitationState.choices,
        default=FacilitationState.REQUESTED,
        editable=False,
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilitations",
    )
    note = models.TextField(_("request"), blank=True)
    stage_started_on = models.DateField(_("stage started on"), editable=False)
    due_on = models.DateField(_("stage due on"), null=True, blank=True, editable=False)
    md_number = models.CharField(_("BPOM MD number"), max_length=14, blank=True, editable=False)
    reason = models.TextField(_("reason not registered"), blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("BPOM facilitation case")
        verbose_name_plural = _("BPOM facilitation cases")
        indexes = [models.Index(fields=["state", "due_on"], name="facilitation_state_due_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.business_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class FacilitationEvent(models.Model):
    case = models.ForeignKey(FacilitationCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=FacilitationState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=FacilitationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("facilitation event")
        verbose_name_plural = _("facilitation events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} -> {self.to_state}"


class FacilitationReminder(models.Model):
    """A reminder to the officer that a stage is past due: once per (case, stage, due date)."""

    case = models.ForeignKey(
        FacilitationCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reminders"
    )
    state = models.CharField(_("stage"), max_length=20, choices=FacilitationState.choices)
    due_on = models.DateField(_("stage due on"))
    claim = models.UUIDField(_("claim token"), editable=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "-sent_at"]
        verbose_name = _("facilitation reminder")
        verbose_name_plural = _("facilitation reminders")
        constraints = [
            models.UniqueConstraint(fields=["case", "state", "due_on"], name="facilitation_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state} {self.due_on}"
