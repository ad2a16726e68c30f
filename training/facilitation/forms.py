"""Forms of BPOM facilitation cases; the service checks the rules (MD format, reasons, who may act)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from applicants.models import Business, Product
from training.models import Program


class OwnerRequestForm(forms.Form):
    business = forms.ModelChoiceField(label=capfirst(_("business")), queryset=Business.objects.none())
    product = forms.ModelChoiceField(label=capfirst(_("product")), queryset=Product.objects.none())
    note = forms.CharField(
        label=capfirst(_("what do you need help with?")),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = Business.objects.filter(owner=owner)
        self.fields["product"].queryset = Product.objects.filter(business__owner=owner).select_related("business")


class OfficerOpenForm(forms.Form):
    nib = forms.CharField(label=_("NIB of the business"), max_length=13, min_length=13)
    product = forms.CharField(
        label=capfirst(_("product name")),
        max_length=150,
        help_text=_("As the business lists it, for example Keripik Pisang."),
    )
    program = forms.ModelChoiceField(
        label=capfirst(_("training that led to it")),
        queryset=Program.objects.filter(topic=Program.Topic.BPOM_REGISTRATION).order_by("-start_date"),
        required=False,
    )
    note = forms.CharField(
        label=capfirst(_("note")), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    md_number = forms.CharField(label=_("BPOM MD number"), required=False, max_length=30)
    reason = forms.CharField(
        label=capfirst(_("reason")), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=capfirst(_("note")), required=False, max_length=2000)
