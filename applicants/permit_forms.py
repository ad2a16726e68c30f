"""The owner's permit form; the service checks the number format and the dates (one home for those rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.permit_models import DistributionPermit


class PermitForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of permit"), choices=DistributionPermit.Kind.choices)
    number = forms.CharField(
        label=_("permit number"),
        max_length=40,
        required=False,
        help_text=_("PIRT: 15 digits. BPOM MD: MD followed by 12 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    issuer = forms.CharField(label=_("issued by"), max_length=150, required=False)
    issued_on = forms.DateField(
        label=_("issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_on = forms.DateField(
        label=_("expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document = forms.FileField(
        label=_("permit document"),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
