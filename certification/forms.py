"""Forms of the certification pages. They collect input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applicants.fields import RegionChoiceField
from applicants.models import Business, Document, Product
from applicants.selectors import jurisdiction_regions, staff_overlapping_q
from certification.assignment import assignable_q
from certification.models import Certificate, Lph
from certification.services import lph_choices, pph_choices
from certification.workflow import table as wf
from certification.workflow.handlers import MAX_EXTENSION_DAYS
from core.access import roles
from core.web.widgets import DateInput, QuickSelect

User = get_user_model()


def pph_label(user: Any) -> str:
    """An assistant in the owner's list: name, LP3H and current open cases (annotated by pph_choices)."""
    profile = getattr(user, "pph_profile", None)
    parts = [str(user), profile.lp3h.name if profile else str(_("no LP3H"))]
    parts.append(ngettext("%(n)d open case", "%(n)d open cases", user.open_cases) % {"n": user.open_cases})
    return " — ".join(parts)


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
    lph = forms.ModelChoiceField(
        label=_("Halal examination agency (LPH), regular pathway"),
        queryset=Lph.objects.none(),
        required=False,
        help_text=_("The LPH that will audit your business. Only agencies serving your province are listed."),
    )
    pph = forms.ModelChoiceField(
        label=_("Halal process assistant, self-declare (optional)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave it empty and the office assigns an assistant within one working day."),
    )
    developed_certificate = forms.ModelChoiceField(
        label=_("Product development: add new products or changes to certificate"),
        queryset=Certificate.objects.none(),
        required=False,
        to_field_name="pk",
        help_text=_(
            "New products, or changed ingredients or process, of products already certified. On approval the "
            "certificate keeps its number and gets a new revision with the full product list."
        ),
    )
    previous_certificate = forms.ModelChoiceField(
        label=_("Renewal of certificate (replaced by a new certificate)"),
        queryset=Certificate.objects.none(),
        required=False,
        to_field_name="pk",
    )

    def __init__(self, *args: Any, business: Business, renewing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(business=business).order_by("name", "id")
        self.fields["documents"].queryset = Document.objects.filter(
            business=business, retired_at__isnull=True
        ).order_by("kind", "id")
        self.renewing = renewing
        self.fields["lph"].queryset = Lph.objects.filter(pk__in=[lph.pk for lph in lph_choices(business=business)])
        self.fields["pph"].queryset = pph_choices(business=business)
        self.fields["pph"].label_from_instance = pph_label
        self.fields["previous_certificate"].queryset = Certificate.objects.filter(
            application__business=business, status=Certificate.Status.VALID
        ).only("pk", "number")
        self.fields["developed_certificate"].queryset = self.fields["previous_certificate"].queryset
        if renewing:  # the "Renew" action of a dated certificate: a renewal, not a development
            del self.fields["developed_certificate"]
        else:  # renewal is an action on the certificate, not a choice on every application
            del self.fields["previous_certificate"]


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
        self.fields["documents"].queryset = Document.objects.filter(
            business=business, retired_at__isnull=True
        ).order_by("kind", "id")


class PathwayForm(forms.Form):
    """Switch a draft's pathway; the service checks self-declare eligibility and the LPH."""

    pathway = forms.ChoiceField(
        label=_("Pathway"),
        choices=[(wf.SELF_DECLARE, _("Self-declare (Sehati, free)")), (wf.REGULAR, _("Regular (paid, LPH audit)"))],
        widget=forms.RadioSelect,
    )
    lph = forms.ModelChoiceField(
        label=_("Halal examination agency (LPH), regular pathway"), queryset=Lph.objects.none(), required=False
    )

    def __init__(self, *args: Any, business: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lph"].queryset = Lph.objects.filter(pk__in=[lph.pk for lph in lph_choices(business=business)])


FATWA_DECISION = ("fatwa_number", "fatwa_date", "fatwa_body")


class ActionForm(forms.Form):
    """The input one workflow action needs, built from the `requires` of the edge the person would take."""

    expected_state = forms.CharField(widget=forms.HiddenInput)
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, action: str, requires: tuple[str, ...] = (), application: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.action_name = action
        self.label = wf.ACTION_LABELS.get(action, action)
        needs = set(requires)
        # A "not halal" decision is recorded like a halal one (issue 31). The state the person saw decides the fields,
        # so a stale form still reaches the transition service's "someone else changed it" answer.
        seen = (self.data.get("expected_state") if self.is_bound else None) or getattr(application, "state", None)
        if action == "reject" and seen == "fatwa":
            needs |= set(FATWA_DECISION)
        if "pph" in needs:
            assignable = (
                assignable_q(role=roles.PPH, business=application.business) if application is not None else Q(pk__in=[])
            )
            self.fields["pph"] = forms.ModelChoiceField(
                label=_("Halal process assistant"),
                queryset=User.objects.filter(assignable).distinct().order_by("full_name", "id"),
                widget=QuickSelect,
            )
        if action == "appoint_lph" and application is not None:
            choices = [lph.pk for lph in lph_choices(business=application.business)]
            self.fields["lph"] = forms.ModelChoiceField(
                label=_("Halal examination agency (LPH)"),
                queryset=Lph.objects.filter(pk__in=choices),
                initial=application.lph_id,
                help_text=_("The owner's choice is preselected; change it when the LPH cannot take the case."),
            )
        if "visit_date" in needs:
            self.fields["visit_date"] = forms.DateField(label=_("Visit date"), widget=DateInput())
        if "report" in needs:
            self.fields["report"] = forms.CharField(label=_("Validation report"), widget=forms.Textarea)
        if "payment_proof" in needs:
            self.fields["payment_proof"] = forms.FileField(label=_("Payment proof (PDF, JPEG or PNG)"))
        if "extra_days" in needs:
            self.fields["extra_days"] = forms.IntegerField(
                label=_("Extra working days requested by the LPH"), min_value=1, max_value=MAX_EXTENSION_DAYS
            )
        if "audit_report" in needs:
            self.fields["audit_report"] = forms.FileField(label=_("LPH audit report (PDF, JPEG or PNG)"))
        if "fatwa_number" in needs:
            self.fields["fatwa_number"] = forms.CharField(label=_("Fatwa decision number"), max_length=60)
        if "fatwa_date" in needs:
            self.fields["fatwa_date"] = forms.DateField(label=_("Fatwa decision date"), widget=DateInput())
        if "fatwa_body" in needs:
            komite = application is not None and (
                application.pathway == wf.SELF_DECLARE or application.fatwa_escalated_at is not None
            )
            self.fields["fatwa_body"] = forms.ChoiceField(
                label=_("Decided by"),
                choices=[(wf.KOMITE_FATWA, wf.FATWA_BODIES[wf.KOMITE_FATWA])]
                if komite
                else list(wf.FATWA_BODIES.items()),
                initial=wf.KOMITE_FATWA if komite else wf.MUI_SESSION,
                widget=forms.RadioSelect,
            )
        if settings.CERTIFICATE_ISSUER == "bpjph" and action == "submit":
            self.fields["sihalal_registration"] = forms.CharField(
                label=_("SIHALAL registration number"),
                max_length=40,
                help_text=_("The number SIHALAL (ptsp.halal.go.id) gave this application when it was registered."),
            )
        development = application is not None and application.developed_certificate_id is not None
        if settings.CERTIFICATE_ISSUER == "bpjph" and action == "issue" and not development:
            self.fields["official_number"] = forms.CharField(label=_("BPJPH certificate number"), max_length=24)
            self.fields["official_date"] = forms.DateField(
                label=_("Issued by BPJPH on"), widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields["official_pdf"] = forms.FileField(label=_("Certificate PDF from SIHALAL"))
        if action in ("file_appeal", "file_banding"):
            self.fields["attachment"] = forms.FileField(
                label=_("Attachment (PDF, JPEG or PNG), optional"),
                required=False,
                help_text=_("For example a laboratory result, a supplier's halal certificate or a letter."),
            )
        if "reason" in needs:
            self.fields["reason"] = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
            del self.fields["note"]

    def payload(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("expected_state", "action"):
            data.pop(key, None)
        return data


class CompositionFilterForm(forms.Form):
    """Filters of the task force's list of yearly composition confirmations."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    region = RegionChoiceField(
        label=_("Region"), provinces=True, to_field_name="code", required=False, empty_label=_("All regions")
    )

    def __init__(self, *args: Any, user: Any, statuses: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = jurisdiction_regions(user)
        self.fields["status"].choices = [("", _("All")), *statuses.items()]

    def clean_region(self) -> str:
        """A regency/city code, or 2 digits for a whole province."""
        region = self.cleaned_data.get("region")
        return region.code if region is not None else ""


class AssignForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)  # type: ignore[arg-type]
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=User.objects.none(), required=False, widget=QuickSelect
    )
    pph = forms.ModelChoiceField(
        label=_("Halal process assistant"), queryset=User.objects.none(), required=False, widget=QuickSelect
    )

    def __init__(self, *args: Any, applications: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        # Only what an <option> shows: the lists are long (every reviewer and assistant of the province).
        active = User.objects.filter(is_active=True).only("pk", "full_name", "email").order_by("full_name", "id")
        if actor is not None:  # staff who can take some case of the assigner's jurisdiction (checked per case)
            active = active.filter(staff_overlapping_q(actor))
        ids = roles.group_ids(roles.REVIEWER, roles.PPH)
        self.fields["reviewer"].queryset = active.filter(roles.holders(roles.REVIEWER, ids=ids))
        self.fields["pph"].queryset = active.filter(roles.holders(roles.PPH, ids=ids))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking the certificate"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
