"""The case queue's filters: one rule for the queue page, its CSV/XLSX export (reports) and the API, so an export
always holds what the page shows. Other apps may use it (it reads; it writes nothing)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from applicants.fields import RegionChoiceField
from applicants.selectors import jurisdiction_regions
from certification.models import Application, ApplicationState, Pathway
from core.web.widgets import QuickSelect


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    pathway = forms.ChoiceField(label=_("Pathway"), required=False, widget=QuickSelect)
    region = RegionChoiceField(
        label=_("Region"), provinces=True, to_field_name="code", required=False, empty_label=_("All regions")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    assigned_to_me = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["region"].queryset = jurisdiction_regions(user)
        self.fields["state"].choices = [("", _("All open")), ("all", _("Every state, closed too"))] + list(
            ApplicationState.choices
        )
        self.fields["pathway"].choices = [("", _("Both"))] + list(Pathway.choices)

    def clean_region(self) -> str:
        """The selectors take a code: a regency/city, or 2 digits for a whole province."""
        region = self.cleaned_data.get("region")
        return region.code if region is not None else ""


# --- The same filters for the API (django-filter validates them; certification.selectors filters) --------------------
REGION_CODE = RegexValidator(
    r"^\d{2}(\d{2})?$", _("“%(value)s” is not a region code: 2 digits for a province, 4 for a regency or city.")
)


class ApplicationFilterSet(django_filters.FilterSet):
    """`GET /api/v1/applications/` filters: an unknown state, pathway or region code answers 400 naming it."""

    state = django_filters.ChoiceFilter(choices=lambda: [("all", "all"), *ApplicationState.choices])
    pathway = django_filters.ChoiceFilter(choices=lambda: list(Pathway.choices))
    region = django_filters.CharFilter(validators=[REGION_CODE])
    overdue = django_filters.BooleanFilter()
    assigned_to_me = django_filters.BooleanFilter()

    class Meta:
        model = Application
        fields: list[str] = []
