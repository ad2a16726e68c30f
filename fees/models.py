"""Fee schedules and their tiers. Money in whole rupiah; a tier covers [lower, upper) of the schedule's basis."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Basis(models.TextChoices):
    GROSS_INCOME = "gross_income", _("Gross income (annual sales minus operating expenses)")
    ANNUAL_SALES = "annual_sales", _("Annual sales")


class ExaminationCategory(models.TextChoices):
    """The product categories of the LPH examination caps (Kepkaban 141/2021 annex): the keys of
    `FeeSchedule.examination_caps`. applicants.models.Product.Category has the same values (fees may not import
    applicants; tests/fees/test_categories.py keeps the two in step)."""

    SIMPLE = "simple_products", _("Simple products")
    PROCESSED = "processed_food_chemical_microbial", _("Processed food, chemical or microbial products")
    FLAVOUR = "flavour_fragrance", _("Flavours and fragrances")
    GMO = "gmo_products", _("Genetically modified products")
    DRUGS = "drugs_cosmetics_biologics", _("Drugs, cosmetics and biologics")
    VACCINES = "vaccines", _("Vaccines")
    GELATIN = "gelatin", _("Gelatin")
    CONSUMER_GOODS = "consumer_goods_packaging", _("Consumer goods and packaging")
    SERVICES = "services", _("Services")
    RESTAURANT = "restaurant_catering_canteen", _("Restaurant, catering or canteen")
    SLAUGHTERHOUSE = "slaughterhouse", _("Slaughterhouse")


# The category whose cap applies when a quote names none (the tariff's listed medium/large fee assumes it).
DEFAULT_EXAMINATION_CATEGORY = ExaminationCategory.SIMPLE.value


class FeeSchedule(models.Model):
    """A versioned fee schedule. The one marked default and in effect on a date is what a quote uses by default."""

    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source citation"))
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Last day in effect; empty while still in effect.")
    )
    is_default = models.BooleanField(_("default schedule"), default=False)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    examination_caps = models.JSONField(
        _("LPH examination caps"),
        default=dict,
        blank=True,
        help_text=_("Cap of the LPH examination fee per product category, whole rupiah."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="fees_schedule_slug_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="fees_schedule_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (v{self.version})"

    @property
    def display_name(self) -> str:
        """The name in the active language when it is a seeded one (SEEDED_SCHEDULE_TEXTS), else as typed."""
        return gettext(self.name) if self.name else ""

    @property
    def display_source(self) -> str:
        return gettext(self.source) if self.source else ""


class FeeTier(models.Model):
    schedule = models.ForeignKey(
        FeeSchedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="tiers"
    )
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label"), max_length=120)
    lower = models.BigIntegerField(_("lower bound (inclusive)"))
    upper = models.BigIntegerField(
        _("upper bound (exclusive)"), null=True, blank=True, help_text=_("Empty: open-ended (last tier only).")
    )
    fee = models.BigIntegerField(_("fee"))
    components = models.JSONField(
        _("components"),
        default=dict,
        blank=True,
        help_text=_('Parts of the fee, e.g. {"registration": 300000, "examination_cap": 350000}; they add up to it.'),
    )
    renewal_fee = models.BigIntegerField(_("renewal fee"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "lower"]
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "code"], name="fees_tier_code_unique"),
            models.UniqueConstraint(fields=["schedule", "lower"], name="fees_tier_lower_unique"),
            models.CheckConstraint(condition=Q(lower__gte=0), name="fees_tier_lower_not_negative"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="fees_tier_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=models.F("lower")), name="fees_tier_upper_above_lower"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


# Labels of the seeded tiers, so that gettext(tier.label) shows them in Indonesian.
SEEDED_LABELS = [
    gettext_noop("Micro-Small A (burdensome)"),
    gettext_noop("Micro-Small B (affordable)"),
    gettext_noop("Medium A (burdensome)"),
    gettext_noop("Medium B (affordable)"),
    gettext_noop("Large A (burdensome)"),
    gettext_noop("Large B (affordable)"),
    gettext_noop("Micro and small"),
    gettext_noop("Medium"),
    gettext_noop("Large"),
]

# The seeded tiers' codes, read as words on screen (a policy table says "Menengah: 3", not "MED: 3").
TIER_CODE_LABELS = {
    "MS-A": SEEDED_LABELS[0],
    "MS-B": SEEDED_LABELS[1],
    "M-A": SEEDED_LABELS[2],
    "M-B": SEEDED_LABELS[3],
    "L-A": SEEDED_LABELS[4],
    "L-B": SEEDED_LABELS[5],
    "UMK": SEEDED_LABELS[6],
    "MED": SEEDED_LABELS[7],
    "LARGE": SEEDED_LABELS[8],
}


def tier_code_label(code: str) -> str:
    """`MED` -> `Menengah` (in Indonesian); a code of a schedule typed in the admin shows as it is."""
    label = TIER_CODE_LABELS.get(code)
    return gettext(label) if label else code


# Names and sources of the seeded schedules (fees/migrations/0002), so that gettext shows them in Indonesian.
SEEDED_SCHEDULE_TEXTS = [
    gettext_noop("Affordable fee recommendation (Purwanto et al. 2024, Table 5)"),
    gettext_noop(
        "Purwanto EH, Anggraeni P, Dewantoro A, Anggundari WC, Tampubolon BD. Recommendation of affordable halal "
        "certification fee. Halal Studies and Society 2024;1(2):50-55, doi:10.29244/hass.1.2.50-55; Table 5, "
        "Eq. 1 (ratio) and Eq. 2 (gross income = annual sales - annual operating expenses)"
    ),
    gettext_noop("BPJPH service tariff (Kepkaban 141/2021, implementing PMK 57/PMK.05/2021)"),
    gettext_noop(
        "Keputusan Kepala BPJPH No. 141 Tahun 2021, effective 1 Dec 2021; scale thresholds by annual sales from "
        "PP 7/2021 Pasal 35"
    ),
]

# How the known fee components are called on screen (msgids: translate with gettext); unknown keys show as they are.
COMPONENT_LABELS = {
    "registration": gettext_noop("registration"),
    "renewal": gettext_noop("renewal service fee"),
    "examination_cap": gettext_noop("LPH examination (cap)"),
}
