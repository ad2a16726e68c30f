"""The regular pathway's bill as the office records it (BPJPH's SIMPONI billing code or a bank's virtual account),
the owner's proof of payment and the office's confirmation.

Written only by `certification.payments.services`; the confirmation is the workflow's `record_payment`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models.applications import Application
from core.files.names import random_file_name


def bill_proof_upload_to(instance: models.Model, filename: str) -> str:
    return random_file_name("certification/payments", filename)


class Bill(models.Model):
    """One bill per regular case: what to pay, where, by when; then the owner's proof and the office's check."""

    class Channel(models.TextChoices):
        SIMPONI = "simponi", _("SIMPONI billing code (BPJPH)")
        VIRTUAL_ACCOUNT = "virtual_account", _("Bank virtual account")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="bill"
    )
    amount = models.BigIntegerField(_("amount (Rp)"))
    channel = models.CharField(_("payment channel"), max_length=20, choices=Channel.choices)
    code = models.CharField(_("billing code or virtual account number"), max_length=30)
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    due_on = models.DateField(_("pay by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    proof = models.FileField(_("payment proof"), upload_to=bill_proof_upload_to, max_length=200, blank=True)
    proof_name = models.CharField(_("payment proof file name"), max_length=200, blank=True)
    proof_type = models.CharField(_("payment proof content type"), max_length=40, blank=True)
    proof_uploaded_at = models.DateTimeField(_("proof uploaded at"), null=True, blank=True)
    # The office was told of the proof uploaded at `proof_uploaded_at` (claimed once per upload: run twice, told once).
    staff_notified_at = models.DateTimeField(_("office told of the proof at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("payment confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="bill_amount_positive")]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.get_channel_display()} {self.code}"
