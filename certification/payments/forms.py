"""The payment forms: the bill the office records, the proof the owner uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import Bill
from core.web.widgets import DateInput


class BillForm(forms.Form):
    """Plain fields: the service checks every value and answers in the person's language."""

    amount = forms.CharField(
        label=_("Amount (Rp)"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    channel = forms.ChoiceField(label=_("Payment channel"), choices=Bill.Channel.choices, widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("Billing code or virtual account number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("SIMPONI: the 15-digit billing code from BPJPH. Virtual account: 10 to 20 digits."),
    )
    bank = forms.CharField(label=_("Bank (virtual account only)"), max_length=60, required=False)
    due_on = forms.CharField(label=_("Pay by"), widget=DateInput())


class ProofForm(forms.Form):
    proof = forms.FileField(
        label=_("Payment proof (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        help_text=_("A photo of the bank or post office receipt, or a screenshot of the mobile banking confirmation."),
    )
