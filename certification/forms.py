"""Forms of the certification pages. They collect input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from applicants.models import Business, Document, Product
from certification import workflow as wf
from certification.models import Certificate
from core import roles
from core.widgets import QuickSelect

User = get_user_model()


class ApplyForm(forms.Form):
    pathway = forms.ChoiceField(
        label=_("Pathway"),
        choices=[(wf.SELF_DECLARE, _("Self-declare (Sehati, free)")), (wf.REGULAR, _("Regular (paid, LPH audit)"))],
        widget=forms.RadioSelect,
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"), queryset=Product.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"), queryset=Document.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    pledge = forms.BooleanField(
        label=_(
            "Self-declare pledge: I declare that my products and production process are halal, that I use only halal "
            "ingredients and that I will keep the halal process in place."
        ),
        required=False,
    )
    previous_certificate = forms.ModelChoiceField(
        label=_("Renewal of certificate (after a change of ingredients or process)"),
        queryset=Certificate.objects.none(),
        required=False,
        to_field_name="pk",
    )

    def __init__(self, *args: Any, business: Business, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(business=business).order_by("name", "id")
        self.fields["documents"].queryset = Document.objects.filter(business=business).order_by("kind", "id")
        self.fields["previous_certificate"].queryset = Certificate.objects.filter(
            application__business=business, status=Certificate.Status.VALID
        ).only("pk", "number")


class ContentsForm(forms.Form):
    """Products and documents of a draft or returned application."""

    products = forms.ModelMultipleChoiceField(
        label=_("Products"), queryset=Product.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"), queryset=Document.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, business: Business, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(business=business).order_by("name", "id")
        self.fields["documents"].queryset = Document.objects.filter(business=business).order_by("kind", "id")


class ActionForm(forms.Form):
    """The input one workflow action needs, built from the workflow table's `requires`."""

    expected_state = forms.CharField(widget=forms.HiddenInput)
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action_name = action
        self.label = wf.ACTION_LABELS[action]
        requires: set[str] = set()
        for edge in wf.TRANSITIONS:
            if edge.action == action:
                requires.update(edge.requires)
        if "pph" in requires:
            self.fields["pph"] = forms.ModelChoiceField(
                label=_("Halal process assistant"),
                queryset=User.objects.filter(roles.holders(roles.PPH), is_active=True).order_by("full_name", "id"),
                widget=QuickSelect,
            )
        if "visit_date" in requires:
            self.fields["visit_date"] = forms.DateField(
                label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"})
            )
        if "report" in requires:
            self.fields["report"] = forms.CharField(label=_("Validation report"), widget=forms.Textarea)
        if "payment_proof" in requires:
            self.fields["payment_proof"] = forms.FileField(label=_("Payment proof (PDF, JPEG or PNG)"))
        if "audit_report" in requires:
            self.fields["lph_name"] = forms.CharField(label=_("Halal examination agency (LPH)"), required=False)
            self.fields["audit_report"] = forms.FileField(label=_("LPH audit report (PDF, JPEG or PNG)"))
        if "fatwa_number" in requires:
            self.fields["fatwa_number"] = forms.CharField(label=_("Fatwa decision number"))
        if "fatwa_date" in requires:
            self.fields["fatwa_date"] = forms.DateField(
                label=_("Fatwa decision date"), widget=forms.DateInput(attrs={"type": "date"})
            )
        if "reason" in requires:
            self.fields["reason"] = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
            del self.fields["note"]

    def payload(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("expected_state", "action"):
            data.pop(key, None)
        return data


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    pathway = forms.ChoiceField(label=_("Pathway"), required=False, widget=QuickSelect)
    region = forms.CharField(label=_("Region code"), required=False, max_length=4)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    assigned_to_me = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from certification.models import ApplicationState, Pathway

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All open"))] + list(ApplicationState.choices)
        self.fields["pathway"].choices = [("", _("Both"))] + list(Pathway.choices)


class AssignForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)  # type: ignore[arg-type]
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=User.objects.none(), required=False, widget=QuickSelect
    )
    pph = forms.ModelChoiceField(
        label=_("Halal process assistant"), queryset=User.objects.none(), required=False, widget=QuickSelect
    )

    def __init__(self, *args: Any, applications: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        # Only what an <option> shows: the lists are long (every reviewer and assistant of the province).
        active = User.objects.filter(is_active=True).only("pk", "full_name", "email").order_by("full_name", "id")
        ids = roles.group_ids(roles.REVIEWER, roles.PPH)
        self.fields["reviewer"].queryset = active.filter(roles.holders(roles.REVIEWER, ids=ids))
        self.fields["pph"].queryset = active.filter(roles.holders(roles.PPH, ids=ids))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking the certificate"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
