from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
