"""Operations: tasks that failed for good (the dead-letter list)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.access import User


class FailedTask(models.Model):
    """A Celery task that failed for good (after its retries): the dead-letter list administrators work through.

    Written by the `task_failure` signal (core/tasks.py) wherever the task ran; retried or dismissed from the
    admin site or the staff page (core/ops/deadletter.py). Tasks are idempotent, so retrying one is safe.
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
