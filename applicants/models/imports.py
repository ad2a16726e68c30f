"""Background imports of the office's business lists (applicants/importing/services.py): one job per uploaded file.

Kept apart from models.py (imported at its end). The rows wait in the job until the worker runs it; the import is
all or nothing, so a failed job keeps each bad row's messages and nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded list, checked and written by a worker in one transaction, with its progress in rows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("rows in the file"), default=0)
    done = models.PositiveIntegerField(_("rows checked"), default=0)
    written = models.PositiveIntegerField(_("businesses written"), default=0)
    # The rows to import (dicts of column -> text); emptied once the job has run.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # The bad rows of a failed job: [{"line", "name", "nib", "owner_email", "errors": [...]}].
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name or self.pk} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
