"""What a submission rests on, frozen: the evidence snapshot of an application.

Each submission (the first, each resubmission after a return, each product development) stores one immutable
snapshot of the business, its people (NIK masked), facilities, products with their ingredients (the platform's
classification and its proof) and process steps, and every document by content hash (the file kept as it was). Every
later screen, PDF and decision of the case reads it; the owner keeps editing the live dossier for the next submission.

Written only by `certification.evidence.services.snapshot_take`. A snapshot is never changed or deleted: `save()` of a
stored row, `delete()` and the queryset's `update()`/`delete()` raise, and on PostgreSQL a trigger refuses UPDATE and
DELETE of the table. Its `content_hash` is sealed into the hash chain of the application's events.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models.applications import Application


class SnapshotImmutable(Exception):
    """Raised by any attempt to change or delete a stored snapshot."""


class SnapshotQuerySet(models.QuerySet["EvidenceSnapshot"]):
    def update(self, **kwargs: Any) -> int:
        raise SnapshotImmutable("An evidence snapshot is never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SnapshotImmutable("An evidence snapshot is never deleted.")


class EvidenceSnapshot(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        RESUBMISSION = "resubmission", _("Resubmission after a return")
        DEVELOPMENT = "development", _("Product development")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="snapshots"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous snapshot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The snapshot the changes are counted from (for a product development: the certificate's)."),
    )
    changes = models.JSONField(_("changes since the previous snapshot"), default=list, blank=True)
    # The documents it names, as rows: what holds them (a held document is never deleted or overwritten). A document
    # deleted after its retention period leaves the link; the content keeps its name, size and SHA-256.
    documents = models.ManyToManyField(
        "applicants.Document", verbose_name=_("documents"), related_name="evidence_snapshots", blank=True
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="snapshot_number_once")]

    def __str__(self) -> str:
        return f"#{self.application_id}/{self.number} {self.content_hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SnapshotImmutable("An evidence snapshot is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SnapshotImmutable("An evidence snapshot is never deleted.")

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
