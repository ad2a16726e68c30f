"""Distribution permits per product (SPP-IRT / PIRT, BPOM MD) and their expiry reminder log.

Kept apart from models.py (imported at its end) so the product dossier and the market-access records evolve
without touching each other.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files.names import random_file_name

# SPP-IRT (PIRT): 15 digits; BPOM MD: "MD" followed by 12 digits. Spaces, dots and dashes are written in between by
# habit ("P-IRT No. 2061871010123-25"): the number is stored without them.
PIRT_PATTERN = re.compile(r"^\d{15}$")
MD_PATTERN = re.compile(r"^MD\d{12}$")
REMINDER_DAYS = (90, 30, 7)


def permit_document_upload_to(instance: DistributionPermit, filename: str) -> str:
    return random_file_name(f"permits/{instance.product_id}", filename)


class DistributionPermit(models.Model):
    class Kind(models.TextChoices):
        PIRT = "pirt", _("SPP-IRT / PIRT (home industry)")
        BPOM_MD = "bpom_md", _("BPOM MD (processed food)")
        NONE = "none", _("None yet")

    product = models.ForeignKey(
        "applicants.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="permits"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("permit number"), max_length=20, blank=True)
    issuer = models.CharField(_("issued by"), max_length=150, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    document = models.FileField(_("permit document"), upload_to=permit_document_upload_to, max_length=200, blank=True)
    document_name = models.CharField(_("original file name"), max_length=255, blank=True)
    document_content_type = models.CharField(_("content type"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["product", "kind", "id"]
        verbose_name = _("distribution permit")
        verbose_name_plural = _("distribution permits")
        constraints = [
            models.UniqueConstraint(fields=["product", "kind"], name="permit_one_per_product_and_kind"),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gt=models.F("issued_on")),
                name="permit_expiry_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="permit_expires_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def is_real(self) -> bool:
        """A permit the product holds (not the "none yet" placeholder)."""
        return self.kind != self.Kind.NONE and bool(self.number)


class PermitReminder(models.Model):
    """One row per (permit, expiry date, days before): the claim that makes each reminder go out exactly once."""

    permit = models.ForeignKey(
        DistributionPermit, verbose_name=_("permit"), on_delete=models.CASCADE, related_name="reminders"
    )
    expires_on = models.DateField(_("expires on"))
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    claim = models.UUIDField(_("claim token"), editable=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["permit", "-sent_at"]
        verbose_name = _("permit expiry reminder")
        verbose_name_plural = _("permit expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "expires_on", "days_before"], name="permit_reminder_once_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_id} -{self.days_before}d"
