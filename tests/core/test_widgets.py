"""QuickSelect renders what Django's Select renders, for the cases the forms use."""

from __future__ import annotations

import pytest
from django import forms

from core.web.widgets import QuickSelect

CHOICES = [("", "---------"), ("1", "Rina <Reviewer> & co"), ("2", "Pat")]


def normalised(html: str) -> object:
    """The parsed HTML: equal when the markup is (attribute order and whitespace between tags aside)."""
    from django.test.html import parse_html

    return parse_html(str(html))


@pytest.mark.parametrize("value", [None, "", "2", "1"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_reviewer", "required": True}, {"id": "x", "disabled": True}])
def test_quick_select_renders_the_markup_of_django_select(value: str | None, attrs: dict | None) -> None:
    expected = forms.Select(choices=CHOICES).render("reviewer", value, attrs)
    assert normalised(QuickSelect(choices=CHOICES).render("reviewer", value, attrs)) == normalised(expected)


def test_quick_select_escapes_labels_and_values() -> None:
    html = QuickSelect(choices=[('"><script>', "<b>x</b>")]).render("f", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize("value", [None, "", "1", "3"])
def test_quick_select_renders_option_groups_like_django(value: str | None) -> None:
    choices = [
        ("", "All"),
        ("Lampung", [("18", "All of Lampung"), ("1", "Kota <Bandar> Lampung")]),
        ("Aceh", [("3", "Simeulue")]),
    ]
    expected = forms.Select(choices=choices).render("region", value, {"id": "id_region"})
    assert normalised(QuickSelect(choices=choices).render("region", value, {"id": "id_region"})) == normalised(expected)


def test_quick_select_refuses_multiple_selection() -> None:
    widget = QuickSelect(choices=[("1", "One")])
    widget.allow_multiple_selected = True
    with pytest.raises(ValueError, match="single selection"):
        widget.render("f", None)


def test_quick_select_selects_only_the_first_matching_option_like_django() -> None:
    choices = [("1", "One"), ("1", "One again")]
    expected = forms.Select(choices=choices).render("f", "1")
    assert normalised(QuickSelect(choices=choices).render("f", "1")) == normalised(expected)
    assert QuickSelect(choices=choices).render("f", "1").count("selected") == 1


def test_a_model_choice_field_renders_the_same_with_quick_select(db: None, alice, bob) -> None:  # noqa: ANN001
    from core.models import User

    class Pick(forms.Form):
        slow = forms.ModelChoiceField(queryset=User.objects.order_by("pk"))
        quick = forms.ModelChoiceField(queryset=User.objects.order_by("pk"), widget=QuickSelect)

    form = Pick(initial={"slow": bob.pk, "quick": bob.pk})
    slow, quick = str(form["slow"]), str(form["quick"])
    assert normalised(quick) == normalised(slow.replace('name="slow"', 'name="quick"').replace("id_slow", "id_quick"))
    assert f'<option value="{bob.pk}" selected>' in quick
