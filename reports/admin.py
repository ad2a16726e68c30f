from typing import Any

from django.contrib import admin

from reports.models import MonthlyReport


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
