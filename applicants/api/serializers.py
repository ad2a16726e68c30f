"""API shapes. Rules (NIB format and uniqueness, money, years, workforce) live in services, so the API and the
pages answer with the same messages; these serializers only parse types."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applicants.models import (
    BUSINESS_FIELDS,
    AnnualFigures,
    Business,
    Document,
    Facility,
    Ingredient,
    Person,
    PositiveListEntry,
    ProcessStep,
    Product,
    Region,
)
from applicants.scale import scale_by_sales, scale_by_workforce
from core.validators import MAX_PEOPLE, MAX_RUPIAH


def rupiah(**kwargs: Any) -> serializers.IntegerField:
    """Whole rupiah, at most the fee quote's 10^15 (negative amounts get the service's message)."""
    return serializers.IntegerField(
        max_value=MAX_RUPIAH, error_messages={"max_value": _("At most Rp 1.000.000.000.000.000 (10^15).")}, **kwargs
    )


def people() -> serializers.IntegerField:
    return serializers.IntegerField(max_value=MAX_PEOPLE)


class BusinessSerializer(serializers.ModelSerializer):
    owner = serializers.EmailField(source="owner.email", read_only=True)
    nib = serializers.CharField(max_length=40)
    workforce = people()
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.name", read_only=True)
    latest_year = serializers.SerializerMethodField()
    latest_sales = serializers.SerializerMethodField()
    scale_pp7 = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "id",
            "owner",
            *BUSINESS_FIELDS,
            "region_name",
            "latest_year",
            "latest_sales",
            "scale_pp7",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_latest_year(self, obj: Business) -> int | None:
        return getattr(obj, "latest_year", None)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_latest_sales(self, obj: Business) -> int | None:
        return getattr(obj, "latest_sales", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_scale_pp7(self, obj: Business) -> str | None:
        sales = getattr(obj, "latest_sales", None)
        return None if sales is None else str(scale_by_sales(sales).value)


class FiguresSerializer(serializers.ModelSerializer):
    # Plain integers: the service gives the messages for negative money, a future year and workforce 0.
    year = serializers.IntegerField()
    annual_sales = rupiah()
    operating_expenses = rupiah()
    capital = rupiah(required=False, default=0)
    workforce = people()
    export_value = rupiah(required=False, default=0)
    gross_income = serializers.IntegerField(read_only=True)
    scale_pp7 = serializers.SerializerMethodField()
    scale_bps = serializers.SerializerMethodField()

    class Meta:
        model = AnnualFigures
        fields = [
            "id",
            "year",
            "annual_sales",
            "operating_expenses",
            "capital",
            "workforce",
            "export_value",
            "gross_income",
            "scale_pp7",
            "scale_bps",
        ]
        read_only_fields = ["id"]

    def get_scale_pp7(self, obj: AnnualFigures) -> str:
        return str(scale_by_sales(max(obj.annual_sales, 0)).value)

    def get_scale_bps(self, obj: AnnualFigures) -> str:
        return str(scale_by_workforce(max(obj.workforce, 1)).value)


class IngredientSerializer(serializers.ModelSerializer):
    positive_list_entry = serializers.PrimaryKeyRelatedField(
        queryset=PositiveListEntry.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="An entry from GET /api/v1/positive-list/?q=...; refused for a name that is never exempt.",
    )
    # Free text: the service reads "bpjph", "mui" or "foreign" (and older spellings such as "BPJPH", "LPPOM MUI").
    certificate_issuer = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="bpjph, mui or foreign"
    )
    positive_list_entry_name = serializers.CharField(
        source="positive_list_entry.name", read_only=True, default=None, allow_null=True
    )
    doubtful = serializers.SerializerMethodField()
    doubtful_reason = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField(
        help_text="What the platform's classification rests on: positive_list, certificate, claim or none."
    )
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Ingredient
        fields = [
            "id",
            "name",
            "kind",
            "producer",
            "brand",
            "halal_certificate_number",
            "certificate_issuer",
            "certificate_body",
            "certificate_valid_until",
            "exempt_claim",
            "positive_list_entry",
            "positive_list_entry_name",
            "supplier",
            "doubtful",
            "doubtful_reason",
            "classification",
            "evidence",
        ]
        read_only_fields = ["id"]

    def get_doubtful(self, obj: Ingredient) -> bool:
        return obj.classification().doubtful

    def get_doubtful_reason(self, obj: Ingredient) -> str:
        return obj.classification().reason

    def get_classification(self, obj: Ingredient) -> str:
        return obj.classification().basis

    def get_evidence(self, obj: Ingredient) -> str:
        return obj.classification().evidence


class PositiveListEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PositiveListEntry
        fields = ["id", "name", "group", "group_name", "verified"]


class StepSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ProcessStep.Stage.choices)
    description = serializers.CharField(max_length=2000, allow_blank=True)
    ingredients = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=settings.API_MAX_NESTED_ITEMS
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "order": instance.order,
            "stage": instance.stage,
            "description": instance.description,
            "ingredients": [i.name for i in instance.ingredients.all()],
        }


class PersonSerializer(serializers.ModelSerializer):
    nik = serializers.CharField(max_length=40, required=False, allow_blank=True, write_only=True)
    nik_masked = serializers.CharField(read_only=True)
    owner_acts = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Supervisor only: the owner of a micro or small business acts as the halal supervisor (the name "
        "defaults to the owner's).",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "role",
            "name",
            "position",
            "phone",
            "nik",
            "nik_masked",
            "religion",
            "owner_acts",
            "appointment_letter",
            "cv",
            "training_certificate",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"validators": [], "allow_blank": True, "required": False}}


class FacilitySerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "kind", "name", "address", "region", "region_name"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "name": {"validators": [], "allow_blank": True},
            "address": {"validators": [], "allow_blank": True},
        }


class ProductSerializer(serializers.ModelSerializer):
    ingredients = IngredientSerializer(
        many=True,
        required=False,
        max_length=settings.API_MAX_NESTED_ITEMS,
        error_messages={"max_length": _("At most {max_length} ingredients per product.")},
    )
    steps = StepSerializer(many=True, required=False, max_length=50)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "category",
            "description",
            "process",
            "preservation_methods",
            "irradiated",
            "ozonated",
            "genetically_engineered",
            "contains_slaughtered",
            "slaughterhouse_certificate",
            "brand",
            "packaging",
            "kbli",
            "ingredients",
            "steps",
        ]
        read_only_fields = ["id"]


class DocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "product",
            "file",
            "original_name",
            "content_type",
            "size",
            "uploaded_at",
            "sha256",
            "download_url",
        ]
        read_only_fields = ["id", "original_name", "content_type", "size", "uploaded_at", "sha256"]

    def get_download_url(self, obj: Document) -> str:
        return reverse("applicants:document_download", args=[obj.pk])
