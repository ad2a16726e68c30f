from typing import Any

from django.contrib import admin

from reports.models import ExportJob, MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    """Reports are requested on the reports page and built by a worker: read-only here; a failed or unwanted report
    may be deleted (and requested again)."""

    list_display = ["month", "region", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "region"]
    list_select_related = ["region", "requested_by"]
    date_hierarchy = "month"
    search_fields = ["error"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Export jobs are written by the worker: read-only here (delete old ones to free storage)."""

    list_display = ["created_at", "user", "path", "status", "rows", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["user__email", "path"]
    readonly_fields = ["user", "path", "query", "status", "rows", "file", "error", "created_at", "finished_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
