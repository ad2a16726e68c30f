"""The dossier an application to BPJPH carries beyond the business card: people, facilities, process steps, and the
reference lists they are chosen from (KBLI 2020 food and beverage codes, the KMA 1360/2021 positive list).

Imported by `applicants.models` (Django finds models there); nothing else imports this module directly.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.dossier.classification import never_exempt_term
from core.masking import mask_middle
from core.validators import visible_text

nik_message = _("The NIK must be exactly 16 digits.")


class Kbli(models.Model):
    """One KBLI 2020 code (5 digits) with its Indonesian title; shipped as data (applicants/data/kbli_2020.json)."""

    code = models.CharField(_("KBLI code"), max_length=5, unique=True)
    title = models.CharField(_("title"), max_length=255)
    source = models.CharField(_("source"), max_length=255)
    verified = models.BooleanField(
        _("checked against the official publication"),
        default=False,
        help_text=_("Left unticked until an administrator has compared the title with the official KBLI 2020 list."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("KBLI code")
        verbose_name_plural = _("KBLI codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PositiveListEntry(models.Model):
    """A material exempt from halal certification (KMA 1360/2021); administrators correct and extend the list."""

    name = models.CharField(_("material"), max_length=200, unique=True, validators=[visible_text])
    group = models.CharField(_("group"), max_length=40)
    group_name = models.CharField(_("group name"), max_length=255)
    source = models.CharField(_("source"), max_length=255)
    verified = models.BooleanField(
        _("confirmed against the decree's annex"),
        default=False,
        help_text=_("Entries taken from public summaries stay unconfirmed until checked against the annex."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("positive-list material")
        verbose_name_plural = _("positive list (KMA 1360/2021)")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        term = never_exempt_term(self.name)
        if term:
            raise ValidationError(
                {
                    "name": _(
                        "“%(term)s” is never exempt when processed (it needs a halal certificate), so it cannot be on "
                        "the positive list."
                    )
                    % {"term": term}
                }
            )


class Person(models.Model):
    """The person responsible for the business, and its halal supervisor (penyelia halal)."""

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("Person responsible")
        SUPERVISOR = "supervisor", _("Halal supervisor")

    class Religion(models.TextChoices):
        ISLAM = "islam", _("Islam")
        OTHER = "other", _("Other")

    business = models.ForeignKey(
        "applicants.Business", verbose_name=_("business"), on_delete=models.CASCADE, related_name="people"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=150, validators=[visible_text])
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, help_text=_("Identity card number: 16 digits."))
    religion = models.CharField(_("religion"), max_length=10, choices=Religion.choices, blank=True)
    # UU 33/2014 Ps 24(c): whoever applies has a halal supervisor; a micro or small business's owner may be it
    # (PP 42/2024, as PP 39/2021 before it). Set by the dossier service only, for the supervisor's row.
    owner_acts = models.BooleanField(
        _("the owner acts as the halal supervisor"), default=False, db_default=False, editable=False
    )
    appointment_letter = models.ForeignKey(
        "applicants.Document",
        verbose_name=_("appointment letter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cv = models.ForeignKey(
        "applicants.Document", verbose_name=_("CV"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    training_certificate = models.ForeignKey(
        "applicants.Document",
        verbose_name=_("halal supervisor training certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["business", "role"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(fields=["business", "role"], name="person_one_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"

    @property
    def nik_masked(self) -> str:
        return mask_middle(self.nik, keep_start=4, keep_end=4)


class Facility(models.Model):
    class Kind(models.TextChoices):
        PRODUCTION = "production", _("Production facility")
        OUTLET = "outlet", _("Outlet")
        WAREHOUSE = "warehouse", _("Warehouse")

    business = models.ForeignKey(
        "applicants.Business", verbose_name=_("business"), on_delete=models.CASCADE, related_name="facilities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, validators=[visible_text])
    address = models.TextField(_("address"), validators=[visible_text])
    region = models.ForeignKey(
        "applicants.Region", verbose_name=_("regency / city"), on_delete=models.PROTECT, related_name="+"
    )
    # Where the assistant finds it: a map link on the case and verval pages (optional; the address otherwise).
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["business", "kind", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class ProcessStep(models.Model):
    """One step of a product's production process, in order, with the ingredients used at it."""

    class Stage(models.TextChoices):
        PURCHASE = "purchase", _("Purchase of ingredients")
        RECEIPT = "receipt", _("Receipt of ingredients")
        STORAGE = "storage", _("Storage of ingredients")
        PROCESSING = "processing", _("Processing")
        PACKAGING = "packaging", _("Packaging")
        FINISHED_STORAGE = "finished_storage", _("Storage of finished products")
        DISTRIBUTION = "distribution", _("Distribution")

    product = models.ForeignKey(
        "applicants.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    description = models.TextField(_("what happens"), validators=[visible_text])
    ingredients = models.ManyToManyField(
        "applicants.Ingredient", verbose_name=_("ingredients used"), related_name="steps", blank=True
    )

    class Meta:
        ordering = ["product", "order"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [models.UniqueConstraint(fields=["product", "order"], name="processstep_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_stage_display()}"
