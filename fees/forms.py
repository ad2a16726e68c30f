from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import MAX_RUPIAH
from core.web.fields import RupiahField
from fees.models import ExaminationCategory
from fees.quotes import REGULAR, SELF_DECLARE

MAX_AMOUNT = MAX_RUPIAH


class CalculatorForm(forms.Form):
    annual_sales = RupiahField(label=_("Annual sales (Rp)"), help_text=_("Total sales in a year."))
    operating_expenses = RupiahField(
        label=_("Annual operating expenses (Rp)"),
        help_text=_("Raw materials, wages, rent, energy and other costs of running the business in a year."),
    )
    pathway = forms.ChoiceField(
        label=_("Pathway"),
        choices=[
            (REGULAR, _("Regular (paid, LPH audit)")),
            (SELF_DECLARE, _("Self-declare (Sehati, free for micro and small businesses)")),
        ],
        initial=REGULAR,
        required=False,
        widget=forms.RadioSelect,
    )
    renewal = forms.BooleanField(
        label=_("Renewal of a halal certificate"),
        required=False,
        help_text=_("A renewal pays the renewal service fee instead of the registration fee."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Product categories"),
        choices=ExaminationCategory.choices,
        required=False,
        # Checkboxes: a phone has no Ctrl key to pick several entries of a list.
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Medium and large businesses pay the LPH examination cap of the highest category; micro and small "
            "businesses pay the same cap for every category. None ticked: simple products."
        ),
    )

    def clean_pathway(self) -> str:
        return self.cleaned_data.get("pathway") or REGULAR
