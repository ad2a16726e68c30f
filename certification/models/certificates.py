"""Certificates: the number counter, the certificate and its revisions, its hash-chained events, and what follows the
issue (the yearly composition check, expiry reminders)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models.applications import Application, Pathway
from core.ops.chain import ChainHeaded, HashChained, chain_constraint


def certificate_pdf_upload_to(instance: models.Model, filename: str) -> str:
    return f"certificates/{uuid.uuid4().hex}.pdf"


def official_pdf_upload_to(instance: models.Model, filename: str) -> str:
    return f"certificates/official/{uuid.uuid4().hex}.pdf"


class CertificateCounter(models.Model):
    """The last certificate sequence used in a province; locked with SELECT ... FOR UPDATE while issuing."""

    province_code = models.CharField(_("province code"), max_length=2, unique=True)
    last_value = models.PositiveBigIntegerField(_("last sequence"), default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self) -> str:
        return f"{self.province_code}: {self.last_value}"


class Certificate(ChainHeaded, models.Model):
    """A halal certificate, created once inside the `issue` transition; the business and products are snapshots."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    class Issuer(models.TextChoices):
        PLATFORM = "platform", _("This office (the issuing authority)")
        BPJPH = "bpjph", _("BPJPH through SIHALAL (recorded by this office)")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    token = models.CharField(_("verification token"), max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    business_name = models.CharField(_("business name"), max_length=200)
    business_address = models.TextField(_("business address"))
    nib = models.CharField(_("NIB"), max_length=20)
    region_name = models.CharField(_("regency / city"), max_length=100)
    region_code = models.CharField(_("region code"), max_length=4, db_index=True)
    # The business's sector at issue, like its name and region: the dashboard counts certificates per sector from
    # this table alone (an index-only scan), not through a join of every application and business.
    sector = models.CharField(_("sector"), max_length=20, blank=True, default="")
    products = models.JSONField(_("products"), default=list)  # [{"name": ..., "category": ...}]
    products_text = models.TextField(_("product names"), blank=True, editable=False)  # for the registry search
    fatwa_number = models.CharField(_("fatwa decision number"), max_length=60)
    fatwa_date = models.DateField(_("fatwa decision date"))
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    pdf = models.FileField(_("PDF"), upload_to=certificate_pdf_upload_to, max_length=200, blank=True)
    issuer = models.CharField(_("issued by"), max_length=10, choices=Issuer.choices, default=Issuer.PLATFORM)
    # The issuer and signatory by name, frozen at issue (a later change of settings does not rewrite a certificate):
    # BPJPH for a facilitating office, the deployment's authority in "platform" mode.
    issuer_name = models.CharField(_("issuer's name"), max_length=200, blank=True, default="")
    signatory = models.CharField(_("signed by"), max_length=200, blank=True, default="")
    # Only certificates from before UU 6/2023 carry an expiry date (four years); they are renewed before it passes.
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Product developments add revisions: the number stays, the revision counter and the product list change.
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)
    official_pdf = models.FileField(
        _("official certificate (BPJPH)"), upload_to=official_pdf_upload_to, max_length=200, blank=True
    )
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)
    # The evidence snapshot its newest revision rests on (the issuing case's, or the latest product development's).
    evidence = models.ForeignKey(
        "EvidenceSnapshot",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["business_name"], name="cert_business_idx"),
            models.Index(fields=["status", "issued_at"], name="cert_status_issued_idx"),
            # The dashboard's certificates per month / regency / sector: one index-only scan of the period.
            models.Index(fields=["issued_at"], include=["region_code", "sector"], name="cert_issued_cover_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def product_names(self) -> list[str]:
        return [p["name"] for p in self.products]

    @property
    def issuer_display(self) -> str:
        return issuer_display(self.issuer, self.issuer_name)


def issuer_display(issuer: str, name: str) -> str:
    """Who issued a certificate, by name; rows from before the name was frozen fall back to the settings."""
    if name:
        return name
    return str(settings.BPJPH_NAME if issuer == Certificate.Issuer.BPJPH else settings.CERTIFICATE_AUTHORITY_NAME)


class CertificateRevision(models.Model):
    """One revision of a certificate: its full product list then, and what the revision added or changed."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="revisions"
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"))
    products = models.JSONField(_("products"), default=list)
    added = models.JSONField(_("products added or changed"), default=list)
    evidence = models.ForeignKey(
        "EvidenceSnapshot",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["certificate", "revision"]
        verbose_name = _("certificate revision")
        verbose_name_plural = _("certificate revisions")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "revision"], name="certrevision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} rev. {self.revision}"


class CertificateEvent(HashChained):
    """The log of a certificate: issue, revoke, supersede, PDF rendered; one hash chain per certificate."""

    chain_by = "certificate"
    chain_fields = ("certificate_id", "action", "actor_id", "note", "created_at")
    chain_fields_optional = ("status", "snapshot_hash")
    parent_state = ("status", "status")

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # The certificate's status after this event, and the evidence its revision rests on (empty on older rows).
    status = models.CharField(_("status"), max_length=12, blank=True, default="", db_default="")
    snapshot_hash = models.CharField(_("evidence hash"), max_length=64, blank=True, default="", db_default="")
    owner_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["certificate", "created_at", "id"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        constraints = [chain_constraint("certificate", name="certevent_chain_no_fork")]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.action}"


class CompositionCheck(models.Model):
    """The yearly question on a certificate's anniversary: has the composition or the process changed?

    UU 6/2023 (Ps 42): a halal certificate stays valid while composition and process do not change. One row per
    certificate and anniversary, created by the daily run (`certification.composition_checks_run`); the owner is
    asked on the anniversary and reminded twice, each step claimed by a conditional UPDATE of its column (exactly
    once, whatever runs twice); unconfirmed after COMPOSITION_CHECK_OVERDUE_DAYS, the business is listed for a
    monitoring visit."""

    class Answer(models.TextChoices):
        UNCHANGED = "unchanged", _("Nothing changed")
        CHANGED = "changed", _("Something changed: a product development will be filed")

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="composition_checks"
    )
    year = models.PositiveSmallIntegerField(_("year since issue"))
    anniversary = models.DateField(_("anniversary"))
    asked_at = models.DateTimeField(_("owner asked at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("first reminder at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["anniversary", "id"]
        verbose_name = _("yearly composition confirmation")
        verbose_name_plural = _("yearly composition confirmations")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="compositioncheck_once_per_year"),
        ]
        indexes = [models.Index(fields=["answered_at", "anniversary"], name="compositioncheck_open_idx")]

    def __str__(self) -> str:
        return f"{self.certificate_id} ({self.anniversary})"


class CertificateReminder(models.Model):
    """A claimed expiry reminder (90, 30 or 7 days before a dated certificate expires): one row per step, ever."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    expires_on = models.DateField(_("expires on"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate expiry reminder")
        verbose_name_plural = _("certificate expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "expires_on", "days_before"], name="certreminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.days_before} ({self.expires_on})"
