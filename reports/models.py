from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_upload_to(instance: MonthlyReport, filename: str) -> str:
    return f"reports/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    """A monthly PDF report (figures, charts, overdue cases, programs lacking follow-up), built by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    region = models.ForeignKey(
        "applicants.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-created_at"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthlyreport_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region or '—'} ({self.status})"


def export_upload_to(instance: ExportJob, filename: str) -> str:
    return f"exports/{instance.created_at:%Y/%m}/{instance.pk}-{filename}"


class ExportJob(models.Model):
    """An XLSX export built by a worker (national lists pass a request's time limit): the list's own export view,
    run for the person who asked, with progress in rows and the file kept in storage."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(_("export"), max_length=200, help_text=_("The XLSX export's address."))
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_upload_to, blank=True, max_length=300)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.path} ({self.status})"
