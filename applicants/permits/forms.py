"""The owner's permit form; the service checks the number format and the dates (one home for those rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from applicants.models.permits import DistributionPermit


class PermitForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind of permit")), choices=DistributionPermit.Kind.choices)
    number = forms.CharField(
        label=capfirst(_("permit number")),
        max_length=40,
        required=False,
        help_text=_("PIRT: 15 digits. BPOM MD: MD followed by 12 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    issuer = forms.CharField(label=capfirst(_("issued by")), max_length=150, required=False)
    issued_on = forms.DateField(
        label=capfirst(_("issued on")),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expires_on = forms.DateField(
        label=capfirst(_("expires on")),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document = forms.FileField(
        label=capfirst(_("permit document")),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input; the service checks each (image, size) and the count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ListingForm(forms.Form):
    published = forms.BooleanField(
        label=capfirst(_("show in the public catalogue")),
        required=False,
        help_text=_("Shown only while the product's halal certificate is valid."),
    )
    photo = forms.FileField(
        label=capfirst(_("photo")),
        required=False,
        help_text=_("JPEG, PNG or WebP; resized on our server."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=capfirst(_("remove the current photo")), required=False)
    more_photos = MultiplePhotoField(
        label=capfirst(_("further photos")), required=False, help_text=_("Up to 3 more pictures of the product.")
    )
    remove_more_photos = forms.BooleanField(label=capfirst(_("remove the further photos")), required=False)
    description = forms.CharField(
        label=capfirst(_("description for buyers")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    price_min = forms.CharField(
        label=capfirst(_("lowest price (Rp)")), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    price_max = forms.CharField(
        label=capfirst(_("highest price (Rp)")), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        required=False,
        max_length=25,
        help_text=_("An Indonesian mobile number, for example 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    phone = forms.CharField(
        label=capfirst(_("phone")), required=False, max_length=25, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    links = forms.CharField(
        label=capfirst(_("marketplace and shop links")),
        required=False,
        help_text=_("One per line, at most 3, each starting with https://."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
