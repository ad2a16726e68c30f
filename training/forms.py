from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from applicants.models import Region
from applicants.selectors import jurisdiction_regions, staff_overlapping_q
from core.access import roles
from core.web.widgets import QuickSelect
from training.models import PROGRAM_FIELDS, FollowUp, Program
from training.services import default_region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def officers() -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(roles.holders(roles.OFFICER, roles.ADMIN), is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE, "registration_closes_on": DATE, "region": QuickSelect}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_officer"].queryset = officers().filter(staff_overlapping_q(user))
        self.fields["region"].queryset = jurisdiction_regions(user).order_by("kind", "name")
        self.own_region = self.instance.region if self.instance.region_id else default_region(user)
        if self.own_region is not None:  # one office (or a saved region): kept unless chosen otherwise
            self.fields["region"].required = False
            self.initial.setdefault("region", self.own_region)

    def clean_region(self) -> Region | None:
        return self.cleaned_data.get("region") or self.own_region

    def _post_clean(self) -> None:
        # The service validates and writes; the model's own full_clean would need follow_up_due_on first.
        return None


class EnrollForm(forms.Form):
    businesses = forms.TypedMultipleChoiceField(coerce=int, label=_("Businesses"))

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["businesses"].choices = choices


class FollowUpPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    planned_on = forms.DateField(label=_("Planned date"), widget=DATE)
    # The queryset is set per form (officers() reads the group ids: no query at import time).
    responsible_officer = forms.ModelChoiceField(
        label=_("Responsible officer"), queryset=get_user_model().objects.none()
    )
    done_on = forms.DateField(label=_("Done date"), required=False, widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_officer"].queryset = officers()


class FollowUpRecordForm(forms.Form):
    done_on = forms.DateField(label=_("Done date"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


PROGRAM_SELECT_LIMIT = 100


class LackingFilterForm(forms.Form):
    """Filters of the per-participant list of who has had no follow-up (GET; every field optional)."""

    region = forms.ModelChoiceField(
        label=_("Regency / city"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All regencies and cities"),
        widget=QuickSelect,
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("All programs"),
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label=_("Follow-up kind"),
        choices=[("", _("Any follow-up"))] + list(FollowUp.Kind.choices),
        required=False,
    )
    overdue_days = forms.IntegerField(
        label=_("Overdue by at least (days)"), min_value=0, max_value=3650, required=False
    )

    def __init__(self, *args: Any, programs: QuerySet[Program], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = jurisdiction_regions(user).exclude(kind=Region.Kind.PROVINCE)
        self.fields["region"].queryset = regions.order_by("name")
        field = self.fields["program"]
        field.queryset = programs
        # A province has a handful of programs lacking follow-up; the whole country thousands, which no one scrolls
        # (and which cost the page hundreds of milliseconds): past PROGRAM_SELECT_LIMIT, the program's number.
        first = list(programs[: PROGRAM_SELECT_LIMIT + 1])  # the one query the select needs either way
        if len(first) <= PROGRAM_SELECT_LIMIT:
            field.widget.choices = [("", field.empty_label), *((p.pk, field.label_from_instance(p)) for p in first)]
        else:
            field.widget = forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})
            field.label = _("Program number")
            field.help_text = _("Too many programs to list: type the number shown in the list below.")
            field.error_messages["invalid_choice"] = _("No program with that number lacks follow-up here.")
