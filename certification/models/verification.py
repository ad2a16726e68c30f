"""The assistant's verification (verval) of a self-declare case: the record, its checklist lines and photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models.applications import Application
from core.files.names import random_file_name


def verification_photo_upload_to(instance: models.Model, filename: str) -> str:
    return random_file_name("certification/verification", filename)


class Verification(models.Model):
    """The assistant's verification (verval) of a self-declare case: a checklist item per ingredient and process
    step of the case's evidence and per facility and practice line, the site visit (date, optional GPS position,
    photos) and a recommendation.

    Written only by `certification.verification.services`; `pph_validate` reads it (complete checklist, no item
    that does not conform) and a worker renders the validation report PDF from it."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="verification"
    )
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assistant's verification")
        verbose_name_plural = _("assistant's verifications")

    def __str__(self) -> str:
        return f"#{self.application_id}"


class VerificationItem(models.Model):
    """One line of the checklist, by its key: an ingredient or a process step of the case's evidence, or a facility
    and practice line; the assistant's verdict, what it rests on and a note. `digest` is the line's content when it
    was judged: a resubmission that changes the line asks for a new verdict."""

    class Verdict(models.TextChoices):
        CONFORMS = "conforms", _("Conforms")
        NOT_CONFORMING = "not_conforming", _("Does not conform")
        DOUBTFUL = "doubtful", _("Doubtful")

    class Evidence(models.TextChoices):
        PLATFORM = "platform", _("The platform's check (positive list or halal certificate)")
        CERTIFICATE_SEEN = "certificate_seen", _("Valid halal certificate seen on site")
        EXEMPT_CONFIRMED = "exempt_confirmed", _("Confirmed on site as a material that needs no certificate")
        SEEN_ON_SITE = "seen_on_site", _("Seen on site")

    verification = models.ForeignKey(
        Verification, verbose_name=_("verification"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.CharField(_("line"), max_length=40)
    digest = models.CharField(_("line content when judged"), max_length=16, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    evidence = models.CharField(_("resolved by"), max_length=20, choices=Evidence.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["verification", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["verification", "key"], name="verval_item_one_per_line")]

    def __str__(self) -> str:
        return f"{self.key}: {self.verdict}"

    @property
    def is_finding(self) -> bool:
        return self.verdict in (self.Verdict.NOT_CONFORMING, self.Verdict.DOUBTFUL)


class VerificationPhoto(models.Model):
    """A photo of the site visit, re-encoded as JPEG without metadata (core.files.images), with a thumbnail."""

    verification = models.ForeignKey(
        Verification, verbose_name=_("verification"), on_delete=models.CASCADE, related_name="photos"
    )
    photo = models.FileField(_("photo"), upload_to=verification_photo_upload_to, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=verification_photo_upload_to, max_length=200)
    width = models.PositiveSmallIntegerField(_("width"))
    height = models.PositiveSmallIntegerField(_("height"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["verification", "created_at", "id"]
        verbose_name = _("site visit photo")
        verbose_name_plural = _("site visit photos")

    def __str__(self) -> str:
        return self.caption or self.photo.name
