"""Form fields shared by every app (a leaf module: imports no app)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import MAX_RUPIAH
from core.web.widgets import MoneyInput

# Plain digits, or digits grouped by dots as rupiah are written ("1.500.000"); never a decimal fraction.
_AMOUNT = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")


class RupiahField(forms.CharField):
    """Whole rupiah typed by a person: "1500000", "1.500.000" or "Rp 1.500.000", shown back as "1.500.000".

    "1.5" and "-1" are refused, not rounded; the cap is the one of every money field (MAX_RUPIAH). Every form where
    a person types money uses this field.
    """

    widget = MoneyInput

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        kwargs.pop("min_length", None)
        super().__init__(required=required, **kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        text = re.sub(r"^rp\.?\s*", "", text.strip(), flags=re.IGNORECASE).replace(" ", "").replace("\u00a0", "")
        if text.startswith("-") and _AMOUNT.match(text[1:]):
            raise ValidationError(_("An amount cannot be negative."), code="min_value")
        if not _AMOUNT.match(text):
            raise ValidationError(
                _("Enter a whole number of rupiah, for example 1500000 or 1.500.000 (no fractions, no minus sign)."),
                code="invalid",
            )
        amount = int(text.replace(".", ""))
        if amount > MAX_RUPIAH:
            raise ValidationError(_("Enter an amount of at most Rp 1.000.000.000.000.000."), code="max_value")
        return amount
