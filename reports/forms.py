"""Filters of the dashboard and the simulation page, and the monthly report request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.fields import RegionChoiceField
from applicants.selectors import jurisdiction_of, jurisdiction_regions
from core.validators import sensible_date
from core.web.widgets import MONTH_INPUT_FORMATS, DateInput, MonthInput
from fees.models import FeeSchedule


def schedules() -> Any:
    return FeeSchedule.objects.filter(active=True).order_by("slug", "-version")


def default_schedule() -> FeeSchedule | None:
    return schedules().filter(is_default=True).first() or schedules().first()


def year_start() -> dt.date:
    return timezone.localdate().replace(month=1, day=1)


class RegionField(RegionChoiceField):
    """A region or a whole province by code, grouped by province."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            provinces=True,
            to_field_name="code",
            required=False,
            label=_("Region"),
            empty_label=_("All regions"),
            **kwargs,
        )


class InJurisdiction(forms.Form):
    """Staff with a regional jurisdiction choose among their regions; with one region it is the default, with several
    one must be chosen (figures cover one region or the whole country)."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jurisdiction = None if user is None else jurisdiction_of(user)
        if self.jurisdiction is not None:
            self.fields["region"].queryset = jurisdiction_regions(user)
            self.fields["region"].empty_label = (
                None if len(self.jurisdiction) == 1 else self.fields["region"].empty_label
            )

    def clean_region(self) -> Any:
        region = self.cleaned_data.get("region")
        if region is None and self.jurisdiction is not None:
            if len(self.jurisdiction) == 1:
                return self.jurisdiction[0]
            raise forms.ValidationError(_("Choose one of the regions you work for."))
        return region


class DashboardFilterForm(InJurisdiction):
    # 1900 to 2100: a far date (0001-01-01, 9999-12-31) overflowed the period arithmetic into a 500.
    start = forms.DateField(label=_("From"), required=False, widget=DateInput(), validators=[sensible_date])
    end = forms.DateField(label=_("To"), required=False, widget=DateInput(), validators=[sensible_date])
    region = RegionField()
    schedule = forms.ModelChoiceField(
        queryset=FeeSchedule.objects.none(),
        required=False,
        label=_("Fee schedule for the ratio R"),
        empty_label=None,
        error_messages={"invalid_choice": _("Unknown fee schedule.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["start"] = data.get("start") or year_start()
        data["end"] = data.get("end") or timezone.localdate()
        if data["start"] > data["end"]:
            raise forms.ValidationError(_("The period starts after it ends: check the dates."))
        if not data.get("schedule") and "schedule" not in self.errors:
            data["schedule"] = default_schedule()
        return data


class SimulationForm(InJurisdiction):
    schedules = forms.ModelMultipleChoiceField(
        queryset=FeeSchedule.objects.none(),
        label=_("Fee schedules"),
        error_messages={"invalid_choice": _("Unknown fee schedule."), "required": _("Pick at least one schedule.")},
    )
    threshold = forms.DecimalField(
        label=_("Affordability threshold (% of gross income)"),
        initial=Decimal("2.5"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        error_messages={
            "min_value": _("The threshold must be a percentage from 0 to 100."),
            "max_value": _("The threshold must be a percentage from 0 to 100."),
        },
    )
    region = RegionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedules"].queryset = schedules()


class ReportRequestForm(InJurisdiction):
    month = forms.DateField(
        label=_("Month"),
        input_formats=MONTH_INPUT_FORMATS,
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
    )
    region = RegionField()

    def clean_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate():
            raise forms.ValidationError(_("A report cannot be made for a future month."))
        return month
