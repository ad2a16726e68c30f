"""QuickSelect renders what Django's Select renders, for the cases the forms use."""

from __future__ import annotations

import pytest
from django import forms

from halalmsi.widgets import QuickSelect

CHOICES = [("", "---------"), ("1", "Rina <Reviewer> & co"), ("2", "Pat")]


def normalised(html: str) -> str:
    return "".join(line.strip() for line in str(html).splitlines())


@pytest.mark.parametrize("value", [None, "", "2", "1"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_reviewer", "required": True}, {"id": "x", "disabled": True}])
def test_quick_select_renders_the_markup_of_django_select(value: str | None, attrs: dict | None) -> None:
    expected = forms.Select(choices=CHOICES).render("reviewer", value, attrs)
    assert normalised(QuickSelect(choices=CHOICES).render("reviewer", value, attrs)) == normalised(expected)


def test_quick_select_escapes_labels_and_values() -> None:
    html = QuickSelect(choices=[('"><script>', "<b>x</b>")]).render("f", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_quick_select_refuses_option_groups() -> None:
    with pytest.raises(ValueError, match="option groups"):
        QuickSelect(choices=[("Group", [("1", "One")])]).render("f", None)
