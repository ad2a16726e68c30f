"""The Sehati quota's pools and claims, and the self-declare product categories (sehati_eligibility.json)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applicants.models import Product
from certification.models.applications import Application


class SehatiQuota(models.Model):
    """Free self-declare places of one year, for a region or (region empty) the national pool."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "applicants.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the national pool."),
    )
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(0)])
    used = models.PositiveIntegerField(_("places used"), default=0, editable=False)
    cutover = models.DateField(
        _("cut-over date"),
        null=True,
        blank=True,
        help_text=_(
            "Regional pools: after this day a claim that finds the pool full falls back to the national pool "
            "(empty: the SEHATI_CUTOVER_DAY setting of the year)."
        ),
    )

    class Meta:
        ordering = ["-year", "region"]
        verbose_name = _("Sehati quota")
        verbose_name_plural = _("Sehati quotas")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="sehatiquota_unique_year_region"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(region__isnull=True), name="sehatiquota_unique_national_year"
            ),
            models.CheckConstraint(condition=models.Q(used__lte=models.F("places")), name="sehatiquota_not_over"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region or _('national')}: {self.used}/{self.places}"

    def clean(self) -> None:
        if self.places < self.used:
            raise ValidationError(
                {"places": _("%(used)s places are already used; the quota cannot be smaller.") % {"used": self.used}}
            )

    @property
    def left(self) -> int:
        return max(self.places - self.used, 0)


class SehatiClaim(models.Model):
    """The one Sehati place of a case: one row per application, ever; released on reject or cancel."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="sehati_claim"
    )
    quota = models.ForeignKey(SehatiQuota, verbose_name=_("quota"), on_delete=models.PROTECT, related_name="claims")
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sehati place")
        verbose_name_plural = _("Sehati places")
        indexes = [models.Index(fields=["quota", "released_at"], name="sehaticlaim_quota_idx")]

    def __str__(self) -> str:
        return f"#{self.application_id} -> {self.quota}"


class SelfDeclareCategory(models.Model):
    """Whether a product category is open to self-declare, with its condition and source: admin-edited data read by
    the `product_category` eligibility criterion (seeded from staging/domain/self_declare_categories.json)."""

    code = models.CharField(_("product category"), max_length=40, unique=True, choices=Product.Category.choices)
    name_id = models.CharField(_("name in the BPJPH tariff annex"), max_length=200)
    open = models.BooleanField(_("open to self-declare"), default=False)
    condition = models.TextField(
        _("condition"), blank=True, help_text=_("When open only under a condition, or why closed; shown to owners.")
    )
    source = models.TextField(_("source"))
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked against the official text of the decree.")
    )
    verify_by = models.TextField(_("how to verify"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("self-declare product category")
        verbose_name_plural = _("self-declare product categories")

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({_('open') if self.open else _('closed')})"
