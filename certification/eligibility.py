"""Sehati (self-declare) eligibility: one explainable check per criterion (shared/domain/sehati_eligibility.json).

Each check answers pass, fail or unknown with a reason a person can read (English msgid, Indonesian translation).
A business is eligible only when every criterion passes.

Two criteria look at what is sold, and never fail for the same product:
- `goods_only` is about the business: it makes goods, not services or food service (a catering business, or a
  product in the services or restaurant/catering/canteen category, unless the office opened that category).
- `product_category` is about each product of the goods kind: its category is open to self-declare in the
  admin-edited table `SelfDeclareCategory` (drugs, vaccines, gelatin, slaughterhouse products... are closed), with
  the condition of an open category shown. Closed service categories are left to `goods_only`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import AnnualFigures, Business, Facility, Ingredient, Person, Product
from applicants.scale import SALES_MAX, Scale
from applicants.selectors import latest_figures
from certification.models import SelfDeclareCategory
from core.money import format_rupiah
from fees.self_declare import revenue_cap

PASS = "pass"  # noqa: S105 - a check result, not a password
FAIL = "fail"
UNKNOWN = "unknown"

SMALL_SALES_LIMIT = SALES_MAX[Scale.SMALL]  # PP 7/2021: small business, annual sales up to Rp15 billion
SMALL_WORKFORCE_LIMIT = 19  # BPS: small industry, 5-19 workers
DATA = Path(__file__).resolve().parent / "data"
NOT_GOODS_CATEGORIES = {Product.Category.SERVICES, Product.Category.RESTAURANT}

CRITERIA_LABELS = {
    "nib": gettext_lazy("Business identification number (NIB)"),
    "scale": gettext_lazy("Micro or small business"),
    "revenue": gettext_lazy("Annual sales within the cap"),
    "producing_1y": gettext_lazy("Producing for at least one year"),
    "goods_only": gettext_lazy("Goods, not services or food service"),
    "product_category": gettext_lazy("Product categories open to self-declare"),
    "low_risk": gettext_lazy("Low-risk, documented ingredients"),
    "meat_source": gettext_lazy("Meat from a halal-certified slaughterhouse"),
    "simple_process": gettext_lazy("Simple process"),
    "no_special_treatment": gettext_lazy("No irradiation, ozonation or genetic engineering"),
    "no_hazardous": gettext_lazy("No hazardous materials"),
    "one_facility": gettext_lazy("One production facility and one outlet"),
    "separate_facility": gettext_lazy("Halal facility separate from non-halal"),
    "halal_supervisor": gettext_lazy("A halal supervisor named"),
}


@dataclass(frozen=True)
class Criterion:
    code: str
    result: str
    reason: str

    @property
    def label(self) -> str:
        return str(CRITERIA_LABELS[self.code])

    @property
    def passed(self) -> bool:
        return self.result == PASS


@dataclass(frozen=True)
class Eligibility:
    criteria: list[Criterion]

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.criteria)

    def failing(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]


@dataclass(frozen=True)
class _Facts:
    business: Business
    figures: AnnualFigures | None
    products: list[Product]
    today: date
    categories: dict[str, SelfDeclareCategory]  # by code; a category without a row is neither open nor closed
    supervisor: Person | None = None

    def is_open(self, category: str) -> bool:
        row = self.categories.get(category)
        return row is not None and row.open


def _nib(f: _Facts) -> Criterion:
    if f.business.nib:
        return Criterion("nib", PASS, _("The business has NIB %(nib)s.") % {"nib": f.business.nib})
    return Criterion("nib", FAIL, _("The business has no NIB; register it in OSS first."))


def _scale(f: _Facts) -> Criterion:
    if f.figures is None:
        return Criterion("scale", UNKNOWN, _("No annual figures filed yet, so the business scale is unknown."))
    if f.figures.annual_sales > SMALL_SALES_LIMIT:
        return Criterion(
            "scale",
            FAIL,
            _("Annual sales of %(sales)s exceed the small-business limit of %(limit)s.")
            % {"sales": format_rupiah(f.figures.annual_sales), "limit": format_rupiah(SMALL_SALES_LIMIT)},
        )
    return Criterion("scale", PASS, _("Annual sales put the business in the micro or small scale."))


def _revenue(f: _Facts) -> Criterion:
    # The rule in force on the day checked (the submission date at submission), from the one home the quote uses.
    cap, rule = revenue_cap(f.today)
    if f.figures is None:
        return Criterion("revenue", UNKNOWN, _("No annual figures filed yet, so annual sales are unknown."))
    values = {
        "sales": format_rupiah(f.figures.annual_sales),
        "cap": format_rupiah(cap),
        "year": f.figures.year,
        "decree": rule.citation,
    }
    if f.figures.annual_sales > cap:
        return Criterion(
            "revenue", FAIL, _("Annual sales of %(sales)s in %(year)s exceed the cap of %(cap)s (%(decree)s).") % values
        )
    return Criterion(
        "revenue",
        PASS,
        _("Annual sales of %(sales)s in %(year)s are within the cap of %(cap)s (%(decree)s).") % values,
    )


def _producing_1y(f: _Facts) -> Criterion:
    started = f.business.production_started
    if started is None:
        return Criterion("producing_1y", UNKNOWN, _("The date production started is unknown."))
    try:
        anniversary = started.replace(year=started.year + 1)
    except ValueError:  # 29 February
        anniversary = started.replace(year=started.year + 1, day=28)
    if anniversary > f.today:
        return Criterion(
            "producing_1y",
            FAIL,
            _("Production started on %(date)s, less than a year ago.") % {"date": date_format(started, "j F Y")},
        )
    return Criterion(
        "producing_1y", PASS, _("Producing since %(date)s, at least a year.") % {"date": date_format(started, "j F Y")}
    )


def _goods_only(f: _Facts) -> Criterion:
    if f.business.sector == Business.Sector.CATERING:
        return Criterion(
            "goods_only",
            FAIL,
            _("Catering and food stalls are not eligible for self-declare; use the regular pathway."),
        )
    bad = [p.name for p in f.products if p.category in NOT_GOODS_CATEGORIES and not f.is_open(p.category)]
    if bad:
        return Criterion(
            "goods_only",
            FAIL,
            _("These are services, restaurants or catering, not goods: %(names)s.") % {"names": ", ".join(bad)},
        )
    if not f.products:
        return Criterion("goods_only", UNKNOWN, _("No products registered yet."))
    if any(p.category in NOT_GOODS_CATEGORIES for p in f.products):
        return Criterion(
            "goods_only",
            PASS,
            _("All products are goods, or food service that the office has opened to self-declare."),
        )
    return Criterion("goods_only", PASS, _("All products are goods."))


def _by_category(products: list[Product]) -> dict[str, list[Product]]:
    groups: dict[str, list[Product]] = {}
    for product in products:
        groups.setdefault(product.category, []).append(product)
    return groups


def _names(products: list[Product]) -> str:
    return ", ".join(p.name for p in products)


def _product_category(f: _Facts) -> Criterion:
    if not f.products:
        return Criterion("product_category", UNKNOWN, _("No products registered yet."))
    # A closed service category is goods_only's failure; counting it here too would fail the business twice.
    goods = [p for p in f.products if p.category not in NOT_GOODS_CATEGORIES or f.is_open(p.category)]
    if not goods:
        return Criterion(
            "product_category",
            PASS,
            _("No product of the goods kind to check; services and food service are judged under “%(goods)s”.")
            % {"goods": CRITERIA_LABELS["goods_only"]},
        )
    groups = _by_category(goods)
    closed = {code: products for code, products in groups.items() if code in f.categories and not f.is_open(code)}
    if closed:
        parts = [
            _("%(products)s (%(category)s: %(why)s)")
            % {
                "products": _names(products),
                "category": products[0].get_category_display(),
                "why": f.categories[code].condition or _("closed"),
            }
            for code, products in closed.items()
        ]
        return Criterion(
            "product_category",
            FAIL,
            _(
                "Not open to self-declare: %(products)s. Apply for these products on the regular pathway (LPH audit), "
                "or apply for self-declare without them."
            )
            % {"products": "; ".join(parts)},
        )
    unlisted = [p for p in goods if p.category not in f.categories]
    if unlisted:
        return Criterion(
            "product_category",
            UNKNOWN,
            _("The office has not yet said whether these products' categories are open to self-declare: %(names)s.")
            % {"names": ", ".join(f"{p.name} ({p.get_category_display()})" for p in unlisted)},
        )
    parts = []
    for code, products in groups.items():
        values = {
            "products": _names(products),
            "category": products[0].get_category_display(),
            "condition": f.categories[code].condition,
        }
        parts.append(
            _("%(products)s (%(category)s, on condition: %(condition)s)") % values
            if values["condition"]
            else _("%(products)s (%(category)s)") % values
        )
    return Criterion(
        "product_category",
        PASS,
        _("Every product is in a category open to self-declare: %(products)s.") % {"products": "; ".join(parts)},
    )


def _low_risk(f: _Facts) -> Criterion:
    ingredients = [i for p in f.products for i in p.ingredients.all()]
    if not ingredients:
        return Criterion("low_risk", UNKNOWN, _("No ingredients listed yet, so the risk cannot be judged."))
    # An owner's exemption claim goes to the assistant, who confirms it on site (the verification blocks until then);
    # every other doubtful ingredient must be resolved before applying.
    judged = [(i.name, i.classification(f.today)) for i in ingredients]
    doubtful = [(name, c.reason) for name, c in judged if c.doubtful and c.basis != "claim"]
    if doubtful:
        return Criterion(
            "low_risk",
            FAIL,
            _(
                "These ingredients are doubtful: %(names)s. Enter each one's valid halal certificate, choose it from "
                "the positive list, or replace it with a certified ingredient."
            )
            % {"names": "; ".join(f"{name} ({reason.rstrip('.')})" for name, reason in doubtful)},
        )
    return Criterion("low_risk", PASS, _("Every ingredient has a halal certificate or is on the positive list."))


def _meat_source(f: _Facts) -> Criterion:
    bad = [p.name for p in f.products if p.contains_slaughtered and not p.slaughterhouse_certificate]
    if bad:
        return Criterion(
            "meat_source",
            FAIL,
            _("Slaughtered-animal ingredients without a halal slaughterhouse certificate: %(names)s.")
            % {"names": ", ".join(bad)},
        )
    return Criterion(
        "meat_source", PASS, _("No slaughtered-animal ingredients, or they come from a certified slaughterhouse.")
    )


def _simple_process(f: _Facts) -> Criterion:
    automatic = [p.name for p in f.products if p.process == Product.Process.AUTOMATIC]
    if automatic:
        return Criterion(
            "simple_process",
            FAIL,
            _("These products are made by an automatic (industrial) process: %(names)s.")
            % {"names": ", ".join(automatic)},
        )
    preserved = [p.name for p in f.products if p.preservation_methods > 1]
    if preserved:
        return Criterion(
            "simple_process",
            FAIL,
            _("These products use more than one preservation method: %(names)s.") % {"names": ", ".join(preserved)},
        )
    return Criterion(
        "simple_process", PASS, _("Manual or semi-automatic process with at most one preservation method.")
    )


TREATMENTS = (
    ("irradiated", gettext_lazy("irradiation")),
    ("ozonated", gettext_lazy("ozonation")),
    ("genetically_engineered", gettext_lazy("genetic engineering")),
)


def _no_special_treatment(f: _Facts) -> Criterion:
    """Kepkaban BPJPH 150/2022: no preservation by irradiation or ozonation, no genetic engineering."""
    found = [
        f"{p.name} ({', '.join(str(label) for field, label in TREATMENTS if getattr(p, field))})"
        for p in f.products
        if any(getattr(p, field) for field, _label in TREATMENTS)
    ]
    if found:
        return Criterion(
            "no_special_treatment",
            FAIL,
            _(
                "Self-declare excludes products preserved by irradiation or ozonation or made with genetic "
                "engineering (Kepkaban BPJPH 150/2022): %(names)s."
            )
            % {"names": "; ".join(found)},
        )
    return Criterion("no_special_treatment", PASS, _("No irradiation, ozonation or genetic engineering."))


@dataclass(frozen=True)
class Hazard:
    code: str
    name: str
    terms: tuple[str, ...]
    source: str
    confirmed: bool


@lru_cache(maxsize=1)
def hazardous_materials() -> tuple[Hazard, ...]:
    """The list of materials forbidden in food, with each one's source (certification/data/hazardous_materials.json)."""
    rows = json.loads((DATA / "hazardous_materials.json").read_text(encoding="utf-8"))["materials"]
    return tuple(
        Hazard(row["code"], row["name"], tuple(t.lower() for t in row["terms"]), row["source"], bool(row["confirmed"]))
        for row in rows
    )


def hazard_of(ingredient_name: str) -> Hazard | None:
    name = ingredient_name.lower()
    return next((h for h in hazardous_materials() if any(term in name for term in h.terms)), None)


def _no_hazardous(f: _Facts) -> Criterion:
    found = []
    for p in f.products:
        for ingredient in p.ingredients.all():
            hazard = hazard_of(ingredient.name)
            if hazard is not None:
                found.append(f"{p.name}: {ingredient.name} — {hazard.name} ({hazard.source})")
    if found:
        return Criterion(
            "no_hazardous",
            FAIL,
            _("These ingredients are hazardous materials forbidden in food: %(names)s.") % {"names": "; ".join(found)},
        )
    return Criterion("no_hazardous", PASS, _("No ingredient is on the list of hazardous materials."))


def _facility_counts(business: Business) -> tuple[int, int]:
    """Production facilities and outlets: the recorded facilities when there are any, else the profile's counts."""
    kinds = list(business.facilities.values_list("kind", flat=True))
    if not kinds:
        return business.production_facilities, business.outlets
    return kinds.count(Facility.Kind.PRODUCTION), kinds.count(Facility.Kind.OUTLET)


def _one_facility(f: _Facts) -> Criterion:
    facilities, outlets = _facility_counts(f.business)
    if facilities > 1 or outlets > 1:
        return Criterion(
            "one_facility",
            FAIL,
            _("The business has %(facilities)s production facilities and %(outlets)s outlets; at most one of each.")
            % {"facilities": facilities, "outlets": outlets},
        )
    return Criterion("one_facility", PASS, _("One production facility and at most one outlet."))


def _separate_facility(f: _Facts) -> Criterion:
    value = f.business.separate_halal_facility
    if value is None:
        return Criterion(
            "separate_facility",
            UNKNOWN,
            _("Not stated whether the halal production location and tools are separate from non-halal ones."),
        )
    if not value:
        return Criterion(
            "separate_facility", FAIL, _("The halal production location and tools are shared with non-halal ones.")
        )
    return Criterion("separate_facility", PASS, _("The halal production location and tools are separate."))


def _halal_supervisor(f: _Facts) -> Criterion:
    """UU 33/2014 Ps 24(c): an applicant has a halal supervisor; the owner of a micro or small business may act as
    one (PP 42/2024, as PP 39/2021 before it)."""
    if f.supervisor is None:
        return Criterion(
            "halal_supervisor",
            FAIL,
            _(
                "No halal supervisor is named (UU 33/2014 Pasal 24). The owner of a micro or small business may act "
                "as the supervisor: tick “I act as the halal supervisor” on the halal supervisor page."
            ),
        )
    if f.supervisor.owner_acts:
        return Criterion(
            "halal_supervisor",
            PASS,
            _("The owner, %(name)s, acts as the halal supervisor.") % {"name": f.supervisor.name},
        )
    return Criterion("halal_supervisor", PASS, _("%(name)s is the halal supervisor.") % {"name": f.supervisor.name})


CHECKS: list[Callable[[_Facts], Criterion]] = [
    _nib,
    _scale,
    _revenue,
    _producing_1y,
    _goods_only,
    _product_category,
    _low_risk,
    _meat_source,
    _simple_process,
    _no_special_treatment,
    _no_hazardous,
    _one_facility,
    _separate_facility,
    _halal_supervisor,
]


def sehati_eligibility(
    *, business: Business, products: list[Product] | None = None, today: date | None = None
) -> Eligibility:
    """Check every criterion for a business (and the products applied for; default: all its products)."""
    from core.calendar.days import today as jakarta_today

    figures = latest_figures(business)
    if products is None:
        products = list(
            Product.objects.filter(business=business).prefetch_related(
                Prefetch(
                    "ingredients", queryset=Ingredient.objects.select_related("positive_list_entry").order_by("id")
                )
            )
        )
    else:
        ids = [p.pk for p in products]
        products = list(
            Product.objects.filter(pk__in=ids).prefetch_related(
                Prefetch("ingredients", queryset=Ingredient.objects.select_related("positive_list_entry"))
            )
        )
    facts = _Facts(
        business=business,
        figures=figures,
        products=products,
        today=today or jakarta_today(),
        categories={c.code: c for c in SelfDeclareCategory.objects.all()},
        supervisor=Person.objects.filter(business=business, role=Person.Role.SUPERVISOR).first(),
    )
    return Eligibility(criteria=[check(facts) for check in CHECKS])
