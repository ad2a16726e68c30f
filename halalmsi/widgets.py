"""Form widgets (a leaf module: imports no app)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's own, built in Python.

    Django renders every <option> through a template include: ~0.1 ms each, so the case queue's reviewer and
    assistant lists (150 people in one province) cost ~15 ms of a page with an 80 ms budget (bench/RESULTS.md).
    Groups (<optgroup>) are not supported: use forms.Select for grouped choices.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group_options, _index in widget["optgroups"]:
            if group_name:
                raise ValueError("QuickSelect does not render option groups; use forms.Select")
            options.extend(group_options)
        body = format_html_join(
            "", '<option value="{}"{}>{}</option>', ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options)
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), body)
