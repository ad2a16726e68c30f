from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fees.models import ExaminationCategory
from fees.quotes import REGULAR, SELF_DECLARE

MAX_AMOUNT = 10**15
# Plain digits, or digits grouped by dots as rupiah are written ("1.500.000"); never a decimal fraction.
_AMOUNT = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")


class RupiahField(forms.CharField):
    """Whole rupiah typed by a person: "1500000", "1.500.000" or "Rp 1.500.000". "1.5" is refused, not rounded."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        text = re.sub(r"^rp\.?\s*", "", text.strip(), flags=re.IGNORECASE).replace(" ", "")
        if not _AMOUNT.match(text):
            raise ValidationError(
                _("Enter a whole number of rupiah, for example 1500000 or 1.500.000 (no fractions, no minus sign)."),
                code="invalid",
            )
        amount = int(text.replace(".", ""))
        if amount > MAX_AMOUNT:
            raise ValidationError(_("Enter an amount of at most Rp 1.000.000.000.000.000."), code="max_value")
        return amount


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
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Medium and large businesses pay the LPH examination cap of the highest category; micro and small "
            "businesses pay the same cap for every category. None chosen: simple products. To choose several, hold "
            "Ctrl (or Cmd) while clicking."
        ),
    )

    def clean_pathway(self) -> str:
        return self.cleaned_data.get("pathway") or REGULAR
