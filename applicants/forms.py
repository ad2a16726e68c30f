"""Forms of the owner and staff pages. They shape input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.forms.models import construct_instance
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from applicants.fields import RegionChoiceField
from applicants.models import (
    BUSINESS_FIELDS,
    AnnualFigures,
    Business,
    Document,
    Facility,
    Ingredient,
    Kbli,
    Person,
    PositiveListEntry,
    ProcessStep,
    Product,
    Region,
)
from applicants.scale import Scale
from applicants.services import INGREDIENT_FIELDS, PRODUCT_FIELDS
from core.web.fields import RupiahField
from core.web.widgets import DateInput


class _ServiceValidated(forms.ModelForm):
    """The model's rules (NIB format and uniqueness, money, years, workforce) are the service's job, so pages and
    the API answer with the same messages: the form only parses types and skips the model's full_clean."""

    def _post_clean(self) -> None:
        construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class BusinessForm(_ServiceValidated):
    nib = forms.CharField(
        label=_("NIB"),
        max_length=40,
        help_text=_("Business identification number from OSS-RBA: 13 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    workforce = forms.IntegerField(label=_("Workforce"))
    region = RegionChoiceField(label=_("Region"), help_text=_("Regencies and cities, grouped by province."))

    class Meta:
        model = Business
        fields = list(BUSINESS_FIELDS)
        widgets = {
            "production_started": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "kbli": forms.TextInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kbli"].widget = forms.Select(choices=kbli_choices(self.initial.get("kbli")))


def kbli_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The KBLI 2020 food and beverage codes; a code already recorded outside the list stays selectable."""
    choices = [("", "—"), *((k.code, str(k)) for k in Kbli.objects.all())]
    if current and current not in {code for code, _label in choices}:
        choices.append((current, current))
    return choices


class FiguresForm(_ServiceValidated):
    workforce = forms.IntegerField(label=_("Workforce"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    # Money as Indonesians type it ("15.000.000"); the service keeps the bounds (0 to 10^15) and says so.
    annual_sales = RupiahField(label=capfirst(AnnualFigures._meta.get_field("annual_sales").verbose_name))
    operating_expenses = RupiahField(label=capfirst(AnnualFigures._meta.get_field("operating_expenses").verbose_name))
    capital = RupiahField(label=capfirst(AnnualFigures._meta.get_field("capital").verbose_name), initial=0)
    export_value = RupiahField(label=capfirst(AnnualFigures._meta.get_field("export_value").verbose_name), initial=0)

    class Meta:
        model = AnnualFigures
        fields = ["year", "annual_sales", "operating_expenses", "capital", "workforce", "export_value"]
        widgets = {"year": forms.NumberInput(attrs={"inputmode": "numeric"})}


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kbli"].widget = forms.Select(choices=kbli_choices(self.initial.get("kbli")))


class PositiveListSelect(forms.Select):
    """The positive list as a plain select (works without JavaScript); static/js/positive-list.js adds a search box
    that narrows it as the owner types, and shows the chosen entry with its group."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"data-positive-search": "1", **(attrs or {})})

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int, **kwargs: Any) -> Any:
        option = super().create_option(name, value, label, selected, index, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-group"] = instance.group_name
        return option


class IngredientForm(forms.ModelForm):
    # The simplest proof first (a positive-list material), then a certificate, then who made it; the claim last.
    field_order = [
        "name",
        "kind",
        "positive_list_entry",
        "halal_certificate_number",
        "certificate_issuer",
        "certificate_body",
        "certificate_valid_until",
        "producer",
        "brand",
        "supplier",
        "exempt_claim",
    ]

    class Meta:
        model = Ingredient
        fields = list(INGREDIENT_FIELDS)
        widgets = {
            "certificate_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "positive_list_entry": PositiveListSelect(),
            "halal_certificate_number": forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        }
        help_texts = {
            "positive_list_entry": _(
                "Only for a material on the positive list (KMA 1360/2021), such as water or fresh produce: type to "
                "search and choose the entry."
            ),
            "halal_certificate_number": _("BPJPH: ID followed by 17 digits. MUI: 12 to 20 digits."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False  # a raw material unless said otherwise
        self.fields["positive_list_entry"].queryset = PositiveListEntry.objects.filter(active=True).order_by("name")

    def has_changed(self) -> bool:
        # An empty extra row whose type select was left alone (or not sent) is still an empty row.
        return any(name != "kind" for name in self.changed_data)


IngredientFormSet = inlineformset_factory(
    Product, Ingredient, form=IngredientForm, fields=list(INGREDIENT_FIELDS), extra=3, can_delete=True, min_num=0
)


def ingredient_rows(formset: Any) -> list[dict[str, Any]]:
    """The ingredients kept in a valid formset, as plain dicts for the service."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not (data.get("name") or "").strip():
            continue
        rows.append({key: data.get(key) for key in INGREDIENT_FIELDS})
    return rows


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=capfirst(_("stage")), choices=ProcessStep.Stage.choices)
    description = forms.CharField(
        label=capfirst(_("what happens")), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    ingredients = forms.CharField(
        label=capfirst(_("ingredients used")),
        required=False,
        max_length=2000,
        help_text=_("Names of the ingredients above, separated by commas."),
    )


StepFormSet = forms.formset_factory(StepForm, extra=0, max_num=50, absolute_max=50)


def step_initial(product: Product | None) -> list[dict[str, Any]]:
    """The product's steps, or the seven stages to fill in."""
    if product is not None and product.pk and product.steps.exists():
        return [
            {
                "stage": s.stage,
                "description": s.description,
                "ingredients": ", ".join(i.name for i in s.ingredients.all()),
            }
            for s in product.steps.prefetch_related("ingredients")
        ]
    return [{"stage": stage} for stage in ProcessStep.Stage.values]


def step_rows(formset: Any) -> list[dict[str, Any]]:
    """The steps written in a valid formset (rows left empty are skipped), for the service."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        names = [n.strip() for n in (data.get("ingredients") or "").split(",") if n.strip()]
        if not (data.get("description") or "").strip() and not names:
            continue
        rows.append({"stage": data.get("stage"), "description": data.get("description") or "", "ingredients": names})
    return rows


class PersonForm(forms.ModelForm):
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=40,
        help_text=_("Identity card number: 16 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    owner_acts = forms.BooleanField(
        label=_("I act as the halal supervisor"),
        required=False,
        help_text=_(
            "The owner of a micro or small business may be its own halal supervisor. Tick this and your name is "
            "used; enter your NIK and religion below."
        ),
    )

    class Meta:
        model = Person
        fields = ["name", "position", "phone", "nik", "religion", "appointment_letter", "cv", "training_certificate"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    field_order = ["owner_acts", "name"]

    def __init__(self, *args: Any, business: Business, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # the service asks for it, unless the owner acts as supervisor
        if role != Person.Role.SUPERVISOR:
            del self.fields["owner_acts"]
        elif self.instance.pk:
            self.fields["owner_acts"].initial = self.instance.owner_acts
        for name in ("appointment_letter", "cv", "training_certificate"):
            self.fields[name].queryset = business.documents.all()
            if role != Person.Role.SUPERVISOR:
                del self.fields[name]

    def _post_clean(self) -> None:  # the service checks (NIK, religion) and answers with its messages
        pass


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["kind", "name", "address", "region", "latitude", "longitude"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "latitude": _("Optional: from your phone's map (press and hold on the place), for example -5.4292."),
            "longitude": _("Optional, for example 105.2610. The assistant then finds you with one tap."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.exclude(kind=Region.Kind.PROVINCE)

    def _post_clean(self) -> None:
        pass


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=Document.Kind.choices)
    product = forms.ModelChoiceField(label=capfirst(_("product")), queryset=Product.objects.none(), required=False)
    file = forms.FileField(
        label=capfirst(_("file")),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, business: Business, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = business.products.all()


class DocumentReplaceForm(forms.Form):
    file = forms.FileField(
        label=capfirst(_("new file")),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, NIB or product"))
    region = RegionChoiceField(label=_("Region"), provinces=True, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Business.Sector.choices], required=False)
    scale = forms.ChoiceField(label=_("Scale (PP 7/2021)"), choices=[("", "—"), *Scale.choices], required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "region": data["region"].pk if data.get("region") else None,
            "sector": data.get("sector") or "",
            "scale": data.get("scale") or "",
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
