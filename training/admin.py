from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from training.models import Enrollment, FollowUp, Program, ReminderLog, follow_up_due_on
from training.models.facilitation import FacilitationCase, FacilitationStageDays


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "start_date", "end_date", "capacity", "responsible_officer"]
    list_filter = ["topic"]
    search_fields = ["title", "venue", "organiser"]
    list_select_related = ["responsible_officer"]
    readonly_fields = ["follow_up_due_on"]
    raw_id_fields = ["responsible_officer"]
    exclude = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Program, form: Any, change: bool) -> None:
        # The scan relies on this column; keep it in step with the dates edited here.
        obj.follow_up_due_on = follow_up_due_on(obj.end_date, obj.follow_up_window_days)
        if not change and not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["program", "business", "attended"]
    list_select_related = ["program", "business"]
    raw_id_fields = ["program", "business", "attendance_recorded_by", "enrolled_by"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "kind", "planned_on", "done_on", "responsible_officer"]
    list_select_related = ["enrollment", "responsible_officer"]
    raw_id_fields = ["enrollment", "responsible_officer", "created_by"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["program", "step", "scan_date", "created_at", "sent_at", "lacking_count"]
    list_select_related = ["program"]
    readonly_fields = [f.name for f in ReminderLog._meta.fields]


@admin.register(FacilitationStageDays)
class FacilitationStageDaysAdmin(admin.ModelAdmin):
    """Where the office sets how many working days each facilitation stage may take."""

    list_display = ["state", "working_days"]


@admin.register(FacilitationCase)
class FacilitationCaseAdmin(admin.ModelAdmin):
    list_display = ["pk", "business", "product", "state", "due_on", "officer", "md_number"]
    list_filter = ["state"]
    list_select_related = ["business", "product", "officer"]
    raw_id_fields = ["business", "product", "program", "officer", "opened_by"]
    readonly_fields = ["state", "stage_started_on", "due_on", "md_number", "reason", "closed_on"]
    search_fields = ["business__name", "business__nib", "md_number"]
