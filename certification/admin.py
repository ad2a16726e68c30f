from __future__ import annotations

from django.contrib import admin

from certification.models import Application, ApplicationEvent, CollectiveLeaveDay, SehatiQuota


@admin.register(SehatiQuota)
class SehatiQuotaAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "places", "used"]
    list_filter = ["year"]
    readonly_fields = ["used"]


@admin.register(CollectiveLeaveDay)
class CollectiveLeaveDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


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
