from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from applicants.models import Region
from certification.models import (
    Appeal,
    Application,
    ApplicationEvent,
    CaseDocument,
    Certificate,
    CertificateCounter,
    CertificateEvent,
    CompositionCheck,
    EvidenceSnapshot,
    Lp3h,
    Lph,
    PphProfile,
    SehatiClaim,
    SehatiQuota,
    SelfDeclareCategory,
    Verification,
    VerificationItem,
)
from core.ops.chain import chain_intact


@admin.register(SehatiQuota)
class SehatiQuotaAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "places", "used", "cutover"]
    list_filter = ["year"]
    readonly_fields = ["used"]


@admin.register(SelfDeclareCategory)
class SelfDeclareCategoryAdmin(SimpleHistoryAdmin):
    """Which product categories are open to self-declare (the `product_category` eligibility criterion reads them at
    once). Close a category rather than delete it: a category without a row makes the criterion "unknown"."""

    list_display = ["code", "name_id", "open", "verified", "updated_at"]
    list_filter = ["open", "verified"]
    search_fields = ["code", "name_id", "condition", "source"]
    fields = ["code", "name_id", "open", "condition", "source", "verified", "verify_by"]

    def get_readonly_fields(self, request: object, obj: SelfDeclareCategory | None = None) -> list[str]:
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the workflow writes: visible to administrators, never edited by hand."""

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SehatiClaim)
class SehatiClaimAdmin(ReadOnlyAdmin):
    list_display = ["application", "quota", "claimed_at", "released_at"]
    list_filter = ["quota__year"]
    list_select_related = ["quota", "quota__region"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """Appeals are filed and decided through the workflow (file_appeal, uphold_appeal, dismiss_appeal)."""

    list_display = ["application", "rejected_from", "filed_at", "decide_by", "decision", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["application", "decided_by"]


@admin.register(CompositionCheck)
class CompositionCheckAdmin(ReadOnlyAdmin):
    """Opened by the daily run and answered by owners; read-only here."""

    list_display = ["certificate", "year", "anniversary", "asked_at", "last_reminded_at", "answer", "answered_at"]
    list_filter = ["answer"]
    list_select_related = ["certificate"]


class VerificationItemInline(admin.TabularInline):
    model = VerificationItem
    fields = ["key", "verdict", "evidence", "note", "digest"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    """The assistant's verval, written on the verval page (certification.verification.services); read-only here."""

    list_display = ["application", "visit_date", "latitude", "longitude", "updated_by", "updated_at"]
    list_select_related = ["application", "application__business", "updated_by"]
    inlines = [VerificationItemInline]


@admin.register(EvidenceSnapshot)
class EvidenceSnapshotAdmin(ReadOnlyAdmin):
    """What each submission rests on, frozen at submission: never changed or deleted (nor here)."""

    list_display = ["application", "number", "kind", "taken_at", "taken_by", "content_hash"]
    list_filter = ["kind"]
    list_select_related = ["application", "application__business", "taken_by"]
    search_fields = ["content_hash", "application__business__name"]
    exclude = ["documents"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "application", "created_at", "rendered_at"]
    list_filter = ["kind"]
    search_fields = ["number"]


class LphForm(forms.ModelForm):
    province_codes = forms.MultipleChoiceField(
        label=_("Provinces served"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = Lph
        fields = [
            "name",
            "accreditation_number",
            "national",
            "province_codes",
            "categories",
            "contact",
            "website",
            "source",
            "verified",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Region.objects.filter(parent__isnull=True).order_by("code")
        self.fields["province_codes"].choices = [(r.code, f"{r.code} {r.name}") for r in provinces]


@admin.register(Lph)
class LphAdmin(admin.ModelAdmin):
    """The LPH directory owners choose from; entries not checked against BPJPH's register stay unverified."""

    list_display = ["name", "accreditation_number", "national", "verified", "active"]
    list_filter = ["national", "verified", "active"]
    search_fields = ["name", "accreditation_number"]
    form = LphForm


@admin.register(Lp3h)
class Lp3hAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "contact"]
    search_fields = ["name", "city"]


@admin.register(PphProfile)
class PphProfileAdmin(admin.ModelAdmin):
    """An assistant's LP3H; the regions they serve are their jurisdiction (Jurisdiction in the users' admin)."""

    list_display = ["user", "lp3h", "phone"]
    list_filter = ["lp3h"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "lp3h"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "action", "actor", "note", "created_at"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: states change only through the workflow pages and API."""

    list_display = ["id", "business", "pathway", "state", "due_on", "assigned_reviewer", "assigned_pph"]
    list_filter = ["state", "pathway"]
    list_select_related = ["business", "assigned_reviewer", "assigned_pph"]
    search_fields = ["business__name", "business__nib"]
    inlines = [ApplicationEventInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the workflow owns: administrators read them here; issuing, revoking and numbering happen only in the
    certificate services (a change here would bypass their locks, events and hash chains)."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["created_at", "action", "actor", "note", "hash"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "business_name", "region_name", "pathway", "status", "issued_at", "revoked_at"]
    list_filter = ["status", "pathway"]
    search_fields = ["number", "business_name", "nib", "products_text"]
    date_hierarchy = "issued_at"
    readonly_fields = ["history_intact"]
    inlines = [CertificateEventInline]

    @admin.display(description=_("history intact (hash chain)"), boolean=True)
    def history_intact(self, obj: Certificate) -> bool:
        return chain_intact(CertificateEvent, obj.pk)


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "certificate", "action", "actor", "note"]
    list_filter = ["action"]
    search_fields = ["certificate__number", "note"]
    list_select_related = ["certificate", "actor"]
    date_hierarchy = "created_at"


@admin.register(CertificateCounter)
class CertificateCounterAdmin(ReadOnlyAdmin):
    """The last number used per province: advanced only under a row lock while issuing."""

    list_display = ["province_code", "last_value"]
