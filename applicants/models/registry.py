"""The MSI business registry: regions, businesses, yearly figures, products, ingredients and documents.

`applicants` imports no other app. Other apps read these models and call applicants' selectors and services.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applicants.dossier.classification import BPJPH, FOREIGN, ISSUERS, MUI, Classification, classify
from core.files.names import random_file_name
from core.validators import (
    MAX_PEOPLE,
    MAX_SMALL_COUNT,
    max_count_validator,
    money_validators,
    past_date,
    visible_text,
)

nib_validator = RegexValidator(r"^\d{13}$", _("The NIB must be exactly 13 digits."), code="nib")
kbli_validator = RegexValidator(r"^\d{5}$", _("The KBLI code must be exactly 5 digits."), code="kbli")


class Region(models.Model):
    """A province (2-digit BPS/Kemendagri code) or a regency/city within it (4 digits)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2]


class StaffRegion(models.Model):
    """Staff jurisdiction: a reviewer, officer or assistant works for these regions (a province covers its regencies
    and cities). Staff without any row, administrators and members of the "national" group work nationally."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="jurisdiction"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["user", "region__code"]
        verbose_name = _("jurisdiction region")
        verbose_name_plural = _("jurisdiction")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="staffregion_unique_user_region")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.region}"


# A business profile as its owner (or an office import) writes it: the service, form, API, importer and the
# synthetic-data seeder all take this list.
BUSINESS_FIELDS = (
    "name",
    "nib",
    "legal_form",
    "address",
    "region",
    "kbli",
    "sector",
    "production_started",
    "outlets",
    "production_facilities",
    "workforce",
    "phone",
    "halal_supervisor",
    "separate_halal_facility",
)


class Business(models.Model):
    class LegalForm(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual (perorangan)")
        UD = "ud", _("Trading business (UD)")
        CV = "cv", _("Limited partnership (CV)")
        PT = "pt", _("Limited company (PT)")
        COOPERATIVE = "cooperative", _("Cooperative (koperasi)")
        OTHER = "other", _("Other")

    class Sector(models.TextChoices):
        FOOD = "food", _("Processed food")
        SNACKS = "snacks", _("Snacks and crackers")
        BAKERY = "bakery", _("Bakery and cakes")
        BEVERAGES = "beverages", _("Beverages")
        COFFEE = "coffee", _("Coffee and tea")
        SPICES = "spices", _("Spices and seasonings")
        FROZEN = "frozen", _("Frozen food")
        CATERING = "catering", _("Catering and food stalls")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="businesses"
    )
    name = models.CharField(_("business name"), max_length=200, validators=[visible_text])
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[nib_validator],
        help_text=_("Business identification number from OSS-RBA: 13 digits."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.INDIVIDUAL
    )
    address = models.TextField(_("address"))
    region = models.ForeignKey(
        Region, verbose_name=_("regency / city"), on_delete=models.PROTECT, related_name="businesses"
    )
    kbli = models.CharField(_("KBLI code"), max_length=5, validators=[kbli_validator])
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.FOOD)
    production_started = models.DateField(_("production started on"), validators=[past_date])
    outlets = models.PositiveSmallIntegerField(
        _("number of outlets"), default=1, validators=[max_count_validator(MAX_SMALL_COUNT)]
    )
    production_facilities = models.PositiveSmallIntegerField(
        _("number of production facilities"), default=1, validators=[max_count_validator(MAX_SMALL_COUNT)]
    )
    workforce = models.PositiveIntegerField(
        _("workforce"), validators=[MinValueValidator(1), max_count_validator(MAX_PEOPLE)]
    )
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    halal_supervisor = models.CharField(_("halal supervisor"), max_length=150, blank=True, validators=[visible_text])
    separate_halal_facility = models.BooleanField(
        _("halal production location and tools are separate from non-halal ones"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        indexes = [models.Index(fields=["region", "sector"]), models.Index(fields=["owner"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(workforce__gte=1), name="business_workforce_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.name


class AnnualFigures(models.Model):
    """A business's figures for one calendar year. Money in whole rupiah."""

    business = models.ForeignKey(Business, verbose_name=_("business"), on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"))
    annual_sales = models.BigIntegerField(_("annual sales (Rp)"), validators=money_validators())
    operating_expenses = models.BigIntegerField(_("annual operating expenses (Rp)"), validators=money_validators())
    capital = models.BigIntegerField(
        _("capital excluding land and buildings (Rp)"), default=0, validators=money_validators()
    )
    workforce = models.PositiveIntegerField(
        _("workforce"), validators=[MinValueValidator(1), max_count_validator(MAX_PEOPLE)]
    )
    export_value = models.BigIntegerField(_("export value (Rp)"), default=0, validators=money_validators())
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["business", "-year"]
        verbose_name = _("annual figures")
        verbose_name_plural = _("annual figures")
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="annualfigures_unique_business_year"),
            models.CheckConstraint(condition=models.Q(annual_sales__gte=0), name="annualfigures_sales_not_negative"),
            models.CheckConstraint(
                condition=models.Q(operating_expenses__gte=0), name="annualfigures_expenses_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(capital__gte=0), name="annualfigures_capital_not_negative"),
            models.CheckConstraint(condition=models.Q(export_value__gte=0), name="annualfigures_export_not_negative"),
            models.CheckConstraint(condition=models.Q(workforce__gte=1), name="annualfigures_workforce_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.year}"

    @property
    def gross_income(self) -> int:
        """Eq. 2 of the fee paper: annual sales minus annual operating expenses; negative is a loss."""
        return self.annual_sales - self.operating_expenses


class Product(models.Model):
    class Category(models.TextChoices):
        # The LPH examination categories of Kepkaban 141/2021 (shared/domain/fee_schedules.json).
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

    class Process(models.TextChoices):
        MANUAL = "manual", _("Manual")
        SEMI_AUTOMATIC = "semi_automatic", _("Semi-automatic")
        AUTOMATIC = "automatic", _("Automatic (industrial)")

    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("product name"), max_length=200, validators=[visible_text])
    category = models.CharField(_("category"), max_length=40, choices=Category.choices, default=Category.SIMPLE)
    description = models.TextField(_("description"), blank=True)
    process = models.CharField(_("production process"), max_length=20, choices=Process.choices, default=Process.MANUAL)
    preservation_methods = models.PositiveSmallIntegerField(
        _("number of preservation methods"), default=0, validators=[max_count_validator(MAX_SMALL_COUNT)]
    )
    # Preservation by irradiation or ozonation, or genetic engineering: each closes self-declare (Kepkaban BPJPH
    # 150/2022, shared/domain/regulations.json). Database defaults: the bulk loader COPYs products without them.
    irradiated = models.BooleanField(_("preserved by irradiation"), default=False, db_default=False)
    ozonated = models.BooleanField(_("preserved by ozonation"), default=False, db_default=False)
    genetically_engineered = models.BooleanField(_("made with genetic engineering"), default=False, db_default=False)
    contains_slaughtered = models.BooleanField(_("contains slaughtered-animal ingredients"), default=False)
    slaughterhouse_certificate = models.CharField(
        _("slaughterhouse halal certificate number"), max_length=40, blank=True
    )
    # Database defaults too: the benchmark's bulk loader writes products by COPY without these columns.
    brand = models.CharField(_("brand"), max_length=100, blank=True, default="", db_default="")
    packaging = models.CharField(
        _("packaging"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("For example: plastic pouch."),
    )
    kbli = models.CharField(
        _("KBLI code"), max_length=5, blank=True, default="", db_default="", validators=[kbli_validator]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["business", "name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        # The public catalogue's order (certification.catalogue.selectors.catalogue): a page walks it and stops.
        # The name search's trigram indexes are PostgreSQL-only: migration 0021 adds them outside the model state.
        indexes = [models.Index(fields=["name", "id"], name="product_name_idx")]

    def __str__(self) -> str:
        return self.name


class Ingredient(models.Model):
    class Kind(models.TextChoices):
        RAW = "raw", _("Raw material")
        ADDITIVE = "additive", _("Additive")
        PROCESSING_AID = "processing_aid", _("Processing aid")
        PACKAGING = "packaging", _("Packaging")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="ingredients"
    )
    name = models.CharField(_("ingredient"), max_length=200, validators=[visible_text])
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.RAW, db_default=Kind.RAW)
    producer = models.CharField(_("producer"), max_length=200, blank=True, default="", db_default="")
    brand = models.CharField(_("brand"), max_length=100, blank=True, default="", db_default="")
    halal_certificate_number = models.CharField(_("halal certificate number"), max_length=40, blank=True)
    certificate_issuer = models.CharField(
        _("certificate issued by"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        choices=[
            (BPJPH, "BPJPH"),
            (MUI, _("MUI (before October 2019)")),
            (FOREIGN, _("A foreign halal body recognised by BPJPH")),
        ],
    )
    certificate_body = models.CharField(
        _("foreign halal body"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("Only for a foreign certificate: the body's name, e.g. JAKIM (Malaysia)."),
    )
    certificate_valid_until = models.DateField(
        _("certificate valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a BPJPH certificate without an end date (UU 6/2023 art. 42)."),
    )
    # The owner's belief, never proof: the ingredient stays doubtful until the assistant confirms it on site.
    exempt_claim = models.BooleanField(
        _("I believe it needs no halal certificate"),
        default=False,
        help_text=_(
            "A claim the halal process assistant checks on site; until then the ingredient counts as doubtful."
        ),
    )
    positive_list_entry = models.ForeignKey(
        "applicants.PositiveListEntry",
        verbose_name=_("positive-list material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)

    class Meta:
        ordering = ["product", "id"]
        verbose_name = _("ingredient")
        verbose_name_plural = _("ingredients")

    def __str__(self) -> str:
        return self.name

    # The classification rule (applicants/dossier/classification.py), once for the database (`doubtful_q`, which
    # relies on the services refusing never-exempt names as positive-list matches) and once in Python.
    @staticmethod
    def doubtful_q(today: dt.date, prefix: str = "") -> models.Q:
        """Rows classified doubtful on `today`: no active positive-list entry and no certificate valid that day."""
        no_end = models.Q(**{f"{prefix}certificate_valid_until__isnull": True, f"{prefix}certificate_issuer": BPJPH})
        valid_certificate = (
            ~models.Q(**{f"{prefix}halal_certificate_number": ""})
            & models.Q(**{f"{prefix}certificate_issuer__in": ISSUERS})
            & ~(models.Q(**{f"{prefix}certificate_issuer": FOREIGN}) & models.Q(**{f"{prefix}certificate_body": ""}))
            & (no_end | models.Q(**{f"{prefix}certificate_valid_until__gte": today}))
        )
        on_list = models.Q(**{f"{prefix}positive_list_entry__active": True})
        return ~on_list & ~valid_certificate

    def classification(self, today: dt.date | None = None) -> Classification:
        return classify(
            name=self.name,
            entry=self.positive_list_entry,
            number=self.halal_certificate_number,
            issuer=self.certificate_issuer,
            body=self.certificate_body,
            valid_until=self.certificate_valid_until,
            exempt_claim=self.exempt_claim,
            today=today or timezone.localdate(),
        )

    def doubtful_reason(self, today: dt.date | None = None) -> str:
        """Empty when not doubtful; else why, in the user's language."""
        return self.classification(today).reason

    @property
    def is_doubtful(self) -> bool:
        return self.classification().doubtful

    @property
    def is_documented_halal(self) -> bool:
        return not self.is_doubtful


def document_upload_to(instance: Document, filename: str) -> str:
    """Random stored name; the original name is kept in a field, never used as a path."""
    return random_file_name(f"documents/{instance.business_id}", filename)


class Document(models.Model):
    class Kind(models.TextChoices):
        NIB = "nib", _("NIB certificate")
        ID_CARD = "id_card", _("Identity card (KTP)")
        PRODUCT_PHOTO = "product_photo", _("Product photo")
        PROCESS_FLOW = "process_flow", _("Production process flow")
        HALAL_MANUAL = "halal_manual", _("Halal assurance manual")
        APPLICATION_LETTER = "application_letter", _("Application letter")
        OTHER = "other", _("Other")

    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.CASCADE, related_name="documents"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    generated = models.BooleanField(
        _("generated from the business's data"),
        default=False,
        db_default=False,
        help_text=_("A draft made by the platform for the owner to review and sign; regenerating replaces it."),
    )
    # The file's SHA-256, taken at upload: a submission's evidence names its documents by it.
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, default="", db_default="")
    # A document a submitted case rests on is never deleted or overwritten: replacing it retires it (it stays with
    # the cases that rest on it, out of the live dossier) and the new one goes into the next submission.
    retired_at = models.DateTimeField(_("replaced at"), null=True, blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        editable=False,
    )

    class Meta:
        ordering = ["business", "-uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["business", "retired_at"], name="document_live_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
