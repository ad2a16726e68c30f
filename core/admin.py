from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core import deadletter
from core.models import FailedTask, StaffAction, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Staff accounts are created here by an administrator; roles are the groups."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_taskforce_lead", "date_joined"]
    list_filter = ["groups", "is_active", "is_staff", "is_taskforce_lead"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone")}),
        (_("Roles"), {"fields": ("groups", "is_taskforce_lead")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2", "groups")}),
    )
    filter_horizontal = ("groups", "user_permissions")


@admin.register(StaffAction)
class StaffActionAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by the middleware and never edited."""

    list_display = ["created_at", "actor", "method", "path", "status_code", "ip_address"]
    list_filter = ["method", "status_code"]
    search_fields = ["actor__email", "path", "view_name"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    """The dead-letter list, read-only (written by the task_failure signal); retry or dismiss on the staff page
    /staff/failed-tasks/ or with the actions here."""

    list_display = ["failed_at", "task_name", "exception", "message", "request_id", "resolution", "resolved_at"]
    list_filter = ["task_name", "exception", "resolution"]
    search_fields = ["task_id", "task_name", "message", "request_id"]
    date_hierarchy = "failed_at"
    list_select_related = ["resolved_by"]
    actions = ["retry", "dismiss"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    @admin.action(description=_("Retry the selected tasks"))
    def retry(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        done = sum(deadletter.failed_task_retry(failed_task=row, actor=request.user) for row in queryset)
        self.message_user(request, _("%(count)s task(s) sent again.") % {"count": done})

    @admin.action(description=_("Dismiss the selected tasks"))
    def dismiss(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        done = sum(deadletter.failed_task_dismiss(failed_task=row, actor=request.user) for row in queryset)
        self.message_user(request, _("%(count)s task(s) dismissed.") % {"count": done})
