from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from applicants.models import (
    AnnualFigures,
    Business,
    Document,
    Facility,
    Ingredient,
    Kbli,
    Person,
    PositiveListEntry,
    ProcessStep,
    Product,
    Region,
    StaffRegion,
)
from applicants.models.listings import ProductListing
from applicants.models.permits import DistributionPermit
from applicants.selectors import evidence_holds


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(StaffRegion)
class StaffRegionAdmin(admin.ModelAdmin):
    """Staff jurisdiction: one row per staff member and region (a province covers its regencies and cities).
    Staff without any row, administrators and members of the "national" group work nationally."""

    list_display = ["user", "region"]
    list_select_related = ["user", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "region__name", "region__code"]
    autocomplete_fields = ["user", "region"]


class FiguresInline(admin.TabularInline):
    model = AnnualFigures
    extra = 0


class PersonInline(admin.StackedInline):
    model = Person
    extra = 0
    raw_id_fields = ["appointment_letter", "cv", "training_certificate"]


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0


@admin.register(Kbli)
class KbliAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "verified"]
    list_filter = ["verified"]
    search_fields = ["code", "title"]


@admin.register(PositiveListEntry)
class PositiveListEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "verified", "active"]
    list_filter = ["group", "verified", "active"]
    search_fields = ["name"]


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    filter_horizontal = ["ingredients"]


@admin.register(Business)
class BusinessAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nib", "owner", "region", "sector", "workforce"]
    list_filter = ["sector", "legal_form", "region"]
    search_fields = ["name", "nib", "owner__email", "products__name"]
    list_select_related = ["owner", "region"]
    autocomplete_fields = ["owner"]
    inlines = [FiguresInline, PersonInline, FacilityInline]


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(SimpleHistoryAdmin):
    list_display = ["business", "year", "annual_sales", "operating_expenses", "workforce"]
    list_filter = ["year"]
    search_fields = ["business__name", "business__nib"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]


class IngredientInline(admin.TabularInline):
    model = Ingredient
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "business", "category", "contains_slaughtered"]
    list_filter = ["category", "contains_slaughtered"]
    search_fields = ["name", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]
    inlines = [IngredientInline, ProcessStepInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "business", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "business__name"]
    list_select_related = ["business", "uploaded_by"]
    raw_id_fields = ["business", "product", "uploaded_by"]
    # The file is never swapped here: a new version goes through the owner's "Replace" (the old one stays with the
    # submitted cases that rest on it). A document a submitted case rests on cannot be deleted here either.
    readonly_fields = [
        "file",
        "sha256",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "retired_at",
        "replaced_by",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        if obj is not None and evidence_holds(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        held = [document for document in queryset if evidence_holds(document)]
        if held:
            raise PermissionDenied(_("A submitted case rests on “%(name)s”; it cannot be deleted.") % {"name": held[0]})
        super().delete_queryset(request, queryset)


@admin.register(DistributionPermit)
class DistributionPermitAdmin(admin.ModelAdmin):
    list_display = ["product", "kind", "number", "issued_on", "expires_on"]
    list_filter = ["kind"]
    list_select_related = ["product"]
    raw_id_fields = ["product", "created_by"]
    search_fields = ["number", "product__name", "product__business__name"]


@admin.register(ProductListing)
class ProductListingAdmin(admin.ModelAdmin):
    list_display = ["product", "published", "updated_at"]
    list_filter = ["published"]
    list_select_related = ["product"]
    raw_id_fields = ["product", "updated_by"]
    search_fields = ["product__name", "product__business__name"]
