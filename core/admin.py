from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.access import roles
from core.calendar import days as cal
from core.calendar import services
from core.errors import DomainError
from core.models import CalendarDay, CalendarYear, Delivery, FailedTask, Notification, StaffAction, User
from core.ops import deadletter


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


# --- Office calendar -----------------------------------------------------------------------------------------------
def may_change_calendar(user: Any) -> bool:
    """The same rule as core.calendar.services: an administrator (the role, or a superuser)."""
    return roles.has_role(user, roles.ADMIN) or bool(getattr(user, "is_superuser", False))


def _show_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    if not error.errors:
        raise forms.ValidationError(str(error.message))
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


class CalendarDayAddForm(forms.ModelForm):
    """A new day off: the service's own check gives the messages (a weekend, a date that is already off...)."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        self.fields["source"].help_text = _("Leave empty for an office closure; for a holiday, name the decree.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            services.calendar_day_check(
                day=data["date"], kind=data["kind"], name=data.get("name", ""), source=data.get("source", "")
            )
        except DomainError as error:
            _show_domain_error(self, error)
        return data


class RemoveDaysForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the day is wrong, e.g. the decree that cancelled or moved it. Kept in the audit trail."),
        error_messages={"required": _("Give the reason for removing the day (e.g. the decree that cancelled it).")},
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Days off besides weekends. Add a closure (or a day a decree added); remove a wrong day with the action
    "Remove the selected days", which asks for the reason. Nothing is edited in place or deleted: the calendar
    that gave a due date can always be read back (the history keeps every version and who made it)."""

    list_display = ["date", "kind", "name", "source", "active", "removed_reason"]
    list_filter = ["active", "kind"]
    search_fields = ["name", "source", "removed_reason"]
    date_hierarchy = "date"
    actions = ["remove_days"]
    readonly_fields = ["created_by", "created_at", "removed_by", "removed_at"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = CalendarDayAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return CalendarDayAddForm.Meta.fields
        return [*CalendarDayAddForm.Meta.fields, "active", "removed_reason", *self.readonly_fields]

    def has_add_permission(self, request: Any) -> bool:
        return super().has_add_permission(request) and may_change_calendar(request.user)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # removal goes through the action, with a reason

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_remove_permission(self, request: Any) -> bool:
        return may_change_calendar(request.user)

    def revert_disabled(self, request: Any, obj: Any = None) -> bool:
        return True  # a revert would bypass the reason a removal needs

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        row = services.calendar_day_add(
            day=obj.date, kind=obj.kind, name=obj.name, source=obj.source, actor=request.user
        )
        obj.pk = row.pk
        obj.refresh_from_db()

    @admin.action(description=_("Remove the selected days (with a reason)"), permissions=["remove"])
    def remove_days(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> TemplateResponse | None:
        days = list(queryset.filter(active=True).order_by("date"))
        if not days:
            self.message_user(request, _("The selected days are already removed."), messages.WARNING)
            return None
        form = RemoveDaysForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            with transaction.atomic():
                for day in days:
                    services.calendar_day_remove(day_id=day.pk, reason=form.cleaned_data["reason"], actor=request.user)
            count = len(days)
            self.message_user(
                request,
                ngettext(
                    "%(count)d day removed; it counts as a working day again.",
                    "%(count)d days removed; they count as working days again.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Remove days from the office calendar"),
            "opts": self.model._meta,
            "days": days,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/core/calendarday/remove_days.html", context)


class CalendarYearAddForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year"]

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        try:
            cal.check_year(year)
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
        if CalendarYear.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _("%(year)s is already seeded; a seeded year is never read from the package again.") % {"year": year}
            )
        return year

    def validate_unique(self) -> None:
        pass  # clean_year says it in plain words


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Seeded years (frozen). Adding a year seeds it now from the installed `holidays` package, e.g. to check next
    year's days before any due date falls in it; a seeded year is never re-read, so it cannot be edited or deleted."""

    list_display = ["year", "seeded_at", "source"]
    form = CalendarYearAddForm

    def has_add_permission(self, request: Any) -> bool:
        return super().has_add_permission(request) and may_change_calendar(request.user)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        services.calendar_year_seed(year=obj.year, actor=request.user)
        obj.pk = CalendarYear.objects.get(year=obj.year).pk
        obj.refresh_from_db()


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "topic", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "topic"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "kind", "context", "link", "topic", "created_at", "read_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["updated_at", "channel", "address", "status", "attempts"]
    list_filter = ["channel", "status"]
    search_fields = ["address", "provider_id"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
