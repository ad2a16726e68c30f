"""Admin for fee schedules with inline tiers; the tiers are checked by the same rule as the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from fees.models import FeeSchedule, FeeTier
from fees.validation import TierSpec, examination_cap_problems, tier_problems


class FeeScheduleForm(forms.ModelForm):
    class Meta:
        model = FeeSchedule
        fields = [
            "slug",
            "name",
            "version",
            "basis",
            "source",
            "notes",
            "effective_from",
            "effective_to",
            "is_default",
            "active",
            "examination_caps",
        ]

    def clean_examination_caps(self) -> Any:
        caps = self.cleaned_data.get("examination_caps")
        problems = examination_cap_problems(caps if caps is not None else {})
        if problems:
            raise ValidationError(problems)
        return caps


class FeeTierFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # field errors first; the tier rule needs whole numbers
        specs = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            specs.append(
                TierSpec(
                    code=data.get("code") or "",
                    label=data.get("label") or "",
                    lower=data.get("lower") if data.get("lower") is not None else 0,
                    upper=data.get("upper"),
                    fee=data.get("fee") if data.get("fee") is not None else 0,
                    components=data.get("components") or {},
                    renewal_fee=data.get("renewal_fee"),
                )
            )
        problems = tier_problems(specs)
        if problems:
            raise ValidationError(problems)


class FeeTierInline(admin.TabularInline):
    model = FeeTier
    formset = FeeTierFormSet
    extra = 0
    min_num = 1
    fields = ["code", "label", "lower", "upper", "fee", "components", "renewal_fee"]
    ordering = ["lower"]


@admin.register(FeeSchedule)
class FeeScheduleAdmin(SimpleHistoryAdmin):
    form = FeeScheduleForm
    list_display = ["name", "slug", "version", "basis", "effective_from", "effective_to", "is_default", "active"]
    list_filter = ["basis", "is_default", "active"]
    search_fields = ["slug", "name", "source"]
    inlines = [FeeTierInline]
    fieldsets = (
        (None, {"fields": ("slug", "name", "version", "basis", "source", "notes")}),
        (None, {"fields": ("effective_from", "effective_to", "is_default", "active")}),
        (None, {"fields": ("examination_caps",)}),
    )


@admin.register(FeeTier)
class FeeTierAdmin(SimpleHistoryAdmin):
    """Read-only list across schedules; tiers are edited inline on their schedule so the rule sees all of them."""

    list_display = ["schedule", "code", "label", "lower", "upper", "fee"]
    list_filter = ["schedule"]
    list_select_related = ["schedule"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
