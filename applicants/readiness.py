"""What an application needs from the business's dossier, per pathway: ONE rule.

The business page lists it ("what you still need") before any application exists; certification's submit service
(certification.readiness, which adds the pathway's own conditions: eligibility, pledge, LPH) refuses with the first
line that is not done. The pathway names are certification's (`certification.workflow.table.PATHWAYS`, a test
keeps the keys in step); the documents are the dossier's.

The production process flow needs no upload when every product has its process steps: the platform draws the
document from them (applicants.dossier.documents) when the application is submitted; an uploaded one is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Business, Document, Person, ProcessStep, Product

PROFILE_FIELDS = ("name", "nib", "address", "region_id", "kbli", "production_started")
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "self_declare": (Document.Kind.NIB, Document.Kind.PRODUCT_PHOTO, Document.Kind.PROCESS_FLOW),
    "regular": (
        Document.Kind.NIB,
        Document.Kind.PRODUCT_PHOTO,
        Document.Kind.PROCESS_FLOW,
        Document.Kind.HALAL_MANUAL,
    ),
}
PATHWAY_LABELS = {
    "self_declare": gettext_lazy("Self-declare (Sehati, free)"),
    "regular": gettext_lazy("Regular (paid, LPH audit)"),
}
FROM_STEPS = Document.Kind.PROCESS_FLOW


@dataclass(frozen=True)
class Need:
    """One line of the checklist: what, whether it is done, and the refusal the submit service gives when not."""

    code: str
    label: str
    done: bool
    message: str
    field: str = ""
    note: str = ""  # how it was met, when not by the obvious way ("made from your process steps")


def products_with_steps(products: Iterable[Product]) -> set[int]:
    ids = [p.pk for p in products]
    return set(ProcessStep.objects.filter(product_id__in=ids).values_list("product_id", flat=True).distinct())


def dossier_needs(*, business: Business, pathway: str, products: list[Product], document_kinds: set[str]) -> list[Need]:
    """The profile, the products, the documents of `pathway`, in the order the submit service checks them."""
    needs = [
        Need(
            "profile",
            _("Business profile complete (name, NIB, address, region, KBLI, start of production)"),
            all(getattr(business, name) for name in PROFILE_FIELDS),
            _("Complete the business profile before submitting."),
        ),
        Need(
            "supervisor",
            _("Halal supervisor named (the owner of a micro or small business may act as one)"),
            Person.objects.filter(business=business, role=Person.Role.SUPERVISOR).exists(),
            _(
                "Name the business's halal supervisor before submitting (UU 33/2014 Pasal 24). The owner of a "
                "micro or small business may act as the supervisor: tick “I act as the halal supervisor” on the "
                "halal supervisor page."
            ),
            field="supervisor",
        ),
        Need("products", _("At least one product"), bool(products), _("Add at least one product to the application.")),
    ]
    stepped = bool(products) and products_with_steps(products) == {p.pk for p in products}
    for kind in REQUIRED_DOCUMENTS[pathway]:
        attached = kind in document_kinds
        drawn = kind == FROM_STEPS and not attached and stepped
        needs.append(
            Need(
                f"document:{kind}",
                str(Document.Kind(kind).label),
                attached or drawn,
                "",  # documents are refused together (refusal())
                note=_("made for you from the process steps you entered") if drawn else "",
            )
        )
    return needs


def refusal(needs: list[Need]) -> Need | None:
    """The first line not done, as the submit service refuses it (missing documents named together)."""
    missing = [need for need in needs if not need.done]
    if not missing:
        return None
    first = missing[0]
    if first.code.startswith("document:"):
        kinds = ", ".join(need.label for need in missing if need.code.startswith("document:"))
        return Need(first.code, first.label, False, _("Attach the required documents: %(kinds)s.") % {"kinds": kinds})
    return first


def business_needs(business: Business) -> list[tuple[str, str, list[Need]]]:
    """The business page's checklist, per pathway: (pathway, label, lines), from its products and current
    documents (two queries besides the products)."""
    products = list(business.products.all())
    kinds = set(Document.objects.filter(business=business, retired_at__isnull=True).values_list("kind", flat=True))
    return [
        (
            pathway,
            str(label),
            dossier_needs(business=business, pathway=pathway, products=products, document_kinds=kinds),
        )
        for pathway, label in PATHWAY_LABELS.items()
    ]
