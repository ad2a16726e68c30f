"""The evidence as the case pages show it (owner, assistant, reviewer: the same section), and the page of one
submission's snapshot (the earlier ones of a case that was returned and resubmitted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import (
    Business,
    DistributionPermit,
    Document,
    Facility,
    Ingredient,
    Person,
    ProcessStep,
    Product,
)
from certification import selectors
from certification.evidence.selectors import Evidence, documents_shown, evidence_of, live_changes, snapshots_of
from certification.models import Application

SECTIONS = {
    "business": gettext_lazy("Business"),
    "figures": gettext_lazy("Annual figures"),
    "person": gettext_lazy("Person"),
    "facility": gettext_lazy("Facility"),
    "product": gettext_lazy("Product"),
    "ingredient": gettext_lazy("Ingredient"),
    "step": gettext_lazy("Process step"),
    "permit": gettext_lazy("Distribution permit"),
    "document": gettext_lazy("Document"),
}
CHANGES = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"),
    "replaced": gettext_lazy("replaced"),
}
FIELDS = {
    "name": gettext_lazy("name"),
    "nib": "NIB",
    "legal_form": gettext_lazy("legal form"),
    "address": gettext_lazy("address"),
    "region": gettext_lazy("regency / city"),
    "kbli": "KBLI",
    "sector": gettext_lazy("sector"),
    "production_started": gettext_lazy("production started on"),
    "outlets": gettext_lazy("number of outlets"),
    "production_facilities": gettext_lazy("number of production facilities"),
    "workforce": gettext_lazy("workforce"),
    "phone": gettext_lazy("phone / WhatsApp"),
    "halal_supervisor": gettext_lazy("halal supervisor"),
    "separate_halal_facility": gettext_lazy("separate halal production location and tools"),
    "year": gettext_lazy("year"),
    "annual_sales": gettext_lazy("annual sales (Rp)"),
    "operating_expenses": gettext_lazy("annual operating expenses (Rp)"),
    "position": gettext_lazy("position"),
    "nik": "NIK",
    "religion": gettext_lazy("religion"),
    "kind": gettext_lazy("kind"),
    "brand": gettext_lazy("brand"),
    "category": gettext_lazy("category"),
    "description": gettext_lazy("description"),
    "process": gettext_lazy("production process"),
    "preservation_methods": gettext_lazy("number of preservation methods"),
    "packaging": gettext_lazy("packaging"),
    "contains_slaughtered": gettext_lazy("contains slaughtered-animal ingredients"),
    "slaughterhouse_certificate": gettext_lazy("slaughterhouse halal certificate number"),
    "producer": gettext_lazy("producer"),
    "supplier": gettext_lazy("supplier"),
    "certificate": gettext_lazy("halal certificate"),
    "positive_list": gettext_lazy("positive-list material"),
    "exempt_claim": gettext_lazy("exemption claim"),
    "stage": gettext_lazy("stage"),
    "description_step": gettext_lazy("what happens"),
    "ingredients": gettext_lazy("ingredients used"),
    "original_name": gettext_lazy("file"),
    "sha256": "SHA-256",
    "number": gettext_lazy("number"),
    "issuer": gettext_lazy("issued by"),
    "issued_on": gettext_lazy("issued on"),
    "expires_on": gettext_lazy("expires on"),
    "document_name": gettext_lazy("permit document"),
    "document_sha256": gettext_lazy("permit document SHA-256"),
}
HASHES = ("sha256", "document_sha256")


def _value(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value in (None, ""):
        return "—"
    return str(value)


def changes_shown(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes with their labels in the active language, ready for a list on a page."""
    rows = []
    for change in changes:
        subject = change.get("subject", "")
        if change["section"] == "step":
            subject = _("step %(order)s") % {"order": subject}
        if change["section"] == "permit":
            subject = _label(DistributionPermit.Kind, subject)
        if change.get("product"):
            subject = f"{change['product']} · {subject}"
        rows.append(
            {
                "section": SECTIONS.get(change["section"], change["section"]),
                "change": change["change"],
                "change_label": CHANGES.get(change["change"], change["change"]),
                "subject": subject,
                "fields": [
                    {
                        "label": FIELDS.get(name, name),
                        "before": _value(before[:12] if name in HASHES and before else before),
                        "after": _value(after[:12] if name in HASHES and after else after),
                    }
                    for name, before, after in change.get("fields") or []
                ],
            }
        )
    return rows


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else _value(value)


def products_shown(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence's products with the labels of their codes (category, process, ingredient kind, stage)."""
    rows = []
    for product in sorted(content.get("products") or [], key=lambda p: (p["name"], p["id"])):
        rows.append(
            {
                **product,
                "category_label": _label(Product.Category, product.get("category")),
                "ingredients": [
                    {**i, "kind_label": _label(Ingredient.Kind, i.get("kind"))} for i in product.get("ingredients", [])
                ],
                "steps": [
                    {**s, "stage_label": _label(ProcessStep.Stage, s.get("stage"))} for s in product.get("steps", [])
                ],
                "permits": [
                    {
                        **p,
                        "kind_label": _label(DistributionPermit.Kind, p.get("kind")),
                        "expires": dt.date.fromisoformat(p["expires_on"]) if p.get("expires_on") else None,
                    }
                    for p in product.get("permits", [])
                ],
            }
        )
    return rows


def evidence_context(application: Application, user: Any, *, number: int | None = None) -> dict[str, Any]:
    """What the case pages show of the evidence: the snapshot, what changed since the submission before, what the
    owner changed in the live dossier since (it goes into the next submission), and the earlier submissions."""
    evidence = evidence_of(application, number)
    if evidence is None:
        return {"evidence": None}
    content = evidence.content
    documents = documents_shown(content)
    present = set(Document.objects.filter(pk__in=[d["id"] for d in documents]).values_list("pk", flat=True))
    newest = number is None or (evidence.snapshot is not None and evidence.snapshot.pk == application.evidence_id)
    business = content.get("business") or {}
    return {
        "evidence": evidence,
        "evidence_business": business,
        "evidence_legal_form": _label(Business.LegalForm, business.get("legal_form")),
        "evidence_sector": _label(Business.Sector, business.get("sector")),
        "evidence_people": [
            {**p, "role_label": _label(Person.Role, p.get("role"))} for p in content.get("people") or []
        ],
        "evidence_facilities": [
            {**f, "kind_label": _label(Facility.Kind, f.get("kind"))} for f in content.get("facilities") or []
        ],
        "evidence_products": products_shown(content),
        "evidence_documents": [{**d, "present": d["id"] in present} for d in documents],
        "evidence_changes": changes_shown(evidence.changes),
        # A case with no snapshot (submitted before they were kept) has no earlier submissions to list either.
        "evidence_history": list(snapshots_of(application).defer("content", "changes"))
        if application.evidence_id is not None
        else [],
        "live_changes": changes_shown(live_changes(application, evidence)) if newest else [],
        "evidence_is_newest": newest,
    }


@login_required
def snapshot_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One submission's evidence, for whoever may see the case (anyone else: 404)."""
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    context = evidence_context(application, request.user, number=number)
    evidence: Evidence | None = context.get("evidence")
    if evidence is None or evidence.snapshot is None:
        raise Http404
    back = (
        "certification:owner-application" if application.business.owner_id == request.user.pk else "certification:case"
    )
    return render(request, "certification/evidence.html", {**context, "application": application, "back": back})
