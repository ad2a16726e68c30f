"""Form widgets (a leaf module: imports no app)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.money import format_thousands


class QuickSelect(forms.Select):
    """A single <select> with the markup of Django's own, built in Python.

    Django builds a context dict per <option> and renders each through a template include: ~0.1 ms an option, so
    the case queue's reviewer and assistant lists (150 people in one province) cost ~15 ms of a page whose budget
    is 80 ms (measured); the region selects grouped by province (552 options) cost ~35 ms each on the dashboard.
    Option groups render as Django's do; multiple selection is refused: use forms.SelectMultiple.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        if self.allow_multiple_selected:
            raise ValueError("QuickSelect renders a single selection; use forms.SelectMultiple")
        wanted = set(self.format_value(value))
        options: list[str] = []
        selected_one = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal selected_one
            option_value = "" if option_value is None else str(option_value)
            selected = not selected_one and option_value in wanted  # as Django: only the first match is selected
            selected_one = selected_one or selected
            mark = " selected" if selected else ""
            return f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>'

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an option group, as Django's Select renders it
                inner = "".join(option(v, text) for v, text in label)
                options.append(f'<optgroup label="{escape(option_value)}">{inner}</optgroup>')
            else:
                options.append(option(option_value, label))
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{"".join(options)}</select>')  # noqa: S308 - escaped above


ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """`<input type="date">` whose value is always ISO (`2021-03-01`), whatever the active language.

    Browsers accept only ISO in a date input; Django's default format follows the language (`01-03-2021` in
    Indonesian), which the browser shows as empty and then refuses to submit. Every date input uses this widget.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs=attrs, format=format or ISO_DATE)


class MonthInput(forms.DateInput):
    """`<input type="month">` whose value is always `YYYY-MM`; pair it with input_formats=MONTH_INPUT_FORMATS."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs=attrs, format=format or "%Y-%m")


MONTH_INPUT_FORMATS = ["%Y-%m", ISO_DATE]


class MoneyInput(forms.TextInput):
    """A rupiah amount typed as Indonesians write it: shown back grouped (`15.000.000`), numeric keyboard on phones."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == int(value):
            return format_thousands(int(value))
        return super().format_value(value)
