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


class ChainCheckpoint(models.Model):
    """A day's record of every hash chain's head (core/ops/checkpoints.py), written by the worker in its own table.

    `summary` per chained model: the highest row id it covered (`horizon`) and how many heads it recorded (the heads
    that changed since the day before; the first checkpoint records every chain). `digest` is the HMAC
    (AUDIT_CHAIN_KEY) of the day, the summary, every head recorded and the previous checkpoint's digest: the
    checkpoints form a chain of their own, and the monthly report prints their digests as the outside record."""

    day = models.DateField(_("day"), unique=True)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    summary = models.JSONField(_("summary"), default=dict)
    prev_digest = models.CharField(_("digest of the previous checkpoint"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("chain checkpoint")
        verbose_name_plural = _("chain checkpoints")

    def __str__(self) -> str:
        return f"{self.day} {self.digest[:12]}"


class ChainCheckpointHead(models.Model):
    """One chain's head as a checkpoint recorded it."""

    checkpoint = models.ForeignKey(
        ChainCheckpoint, verbose_name=_("checkpoint"), on_delete=models.PROTECT, related_name="heads"
    )
    model = models.CharField(_("model"), max_length=100)
    chain_id = models.BigIntegerField(_("chain"))
    head = models.CharField(_("head"), max_length=64)

    class Meta:
        verbose_name = _("recorded chain head")
        verbose_name_plural = _("recorded chain heads")
        indexes = [models.Index(fields=["model", "chain_id", "checkpoint"], name="chainhead_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.model} {self.chain_id}: {self.head[:12]}"
