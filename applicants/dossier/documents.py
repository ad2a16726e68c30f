"""Documents drafted from the owner's own data: the application letter, the SJPH manual and the process flow (PDF, in
Indonesian).

The owner asks (`generated_document_request`); a Celery task renders (`generated_document_render`) and stores the
PDF as a Document of the business marked `generated`. Generating again replaces the earlier generated document of
the same kind (an uploaded document of that kind is never touched, nor a draft already attached to an application):
one current draft per kind, no pile of versions.
The letters are in Indonesian whatever the user's language: they go to BPJPH.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applicants.models import Business, Document, Ingredient, Person
from applicants.selectors import evidence_holds
from core.access import roles
from core.errors import DomainError
from core.files.pdf import render_pdf
from core.tasks import enqueue_on_commit

TASK_NAME = "applicants.render_generated_document"

# kind -> (template, stored file name)
GENERATED: dict[str, tuple[str, str]] = {
    Document.Kind.APPLICATION_LETTER: (
        "applicants/pdf/application_letter.html",
        "surat-permohonan-sertifikasi-halal.pdf",
    ),
    Document.Kind.HALAL_MANUAL: ("applicants/pdf/sjph_manual.html", "draf-manual-sjph.pdf"),
    # From the process steps the owner entered per product (applicants.readiness: no upload needed then).
    Document.Kind.PROCESS_FLOW: ("applicants/pdf/process_flow.html", "alur-proses-produksi.pdf"),
}


def _check(actor: Any, business: Business, kind: str) -> None:
    if business.owner_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise DomainError(_("Only the owner of this business may change it."))
    if kind not in GENERATED:
        raise DomainError(_("This kind of document cannot be generated."))


def generated_document_request(
    *, actor: Any, business: Business, kind: str, product_ids: Sequence[int] | None = None
) -> None:
    """Check, then have the worker render the document once the transaction commits.

    `product_ids`: the application letter names only these products (the ones the case will carry); None: all."""
    _check(actor, business, kind)
    ids = _own_products(business, product_ids)
    enqueue_on_commit(TASK_NAME, business.pk, str(kind), actor.pk, ids)


def _own_products(business: Business, product_ids: Sequence[int] | None) -> list[int] | None:
    if product_ids is None:
        return None
    try:
        wanted = sorted({int(pk) for pk in product_ids})
    except (TypeError, ValueError):
        wanted = []
    if not wanted:
        raise DomainError(_("Choose at least one product for the application letter."))
    if business.products.filter(pk__in=wanted).count() != len(wanted):
        raise DomainError(_("Choose products of this business only."))
    return wanted


def _ingredient_evidence(ingredient: Ingredient) -> str:
    """What the platform's classification rests on (the caller renders in Indonesian)."""
    return ingredient.classification().evidence


def document_context(business: Business, product_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """Everything the two templates show, read once; NIKs only masked. `product_ids`: only these products."""
    people = {p.role: p for p in business.people.all()}
    responsible = people.get(Person.Role.RESPONSIBLE)
    supervisor = people.get(Person.Role.SUPERVISOR)
    chosen = business.products.all() if product_ids is None else business.products.filter(pk__in=product_ids)
    products = list(
        chosen.prefetch_related("ingredients__positive_list_entry", "steps__ingredients").order_by("name", "id")
    )
    today = timezone.localdate()
    ingredients = []
    doubtful = []
    for product in products:
        for ingredient in product.ingredients.all():
            reason = ingredient.doubtful_reason(today)
            row = {
                "product": product,
                "ingredient": ingredient,
                "evidence": _ingredient_evidence(ingredient) if not reason else "",
                "reason": reason,
            }
            ingredients.append(row)
            if reason:
                doubtful.append(row)
    return {
        "business": business,
        "region": business.region,
        "responsible": responsible,
        "supervisor": supervisor,
        "supervisor_name": supervisor.name if supervisor else business.halal_supervisor,
        "products": products,
        "ingredients": ingredients,
        "doubtful": doubtful,
        "facilities": list(business.facilities.select_related("region")),
        "today": today,
    }


def generated_document_render(
    *, business_id: int, kind: str, actor_id: int, product_ids: Sequence[int] | None = None
) -> Document | None:
    """Render the PDF and store it, replacing the earlier generated document of this kind; run by the worker."""
    business = Business.objects.select_related("region", "owner").filter(pk=business_id).first()
    if business is None or kind not in GENERATED:
        return None
    template, file_name = GENERATED[kind]
    with translation.override("id"):  # the reasons, labels and dates of the context too
        pdf = render_pdf(template, document_context(business, product_ids), language="id")
    document = Document(
        business=business,
        kind=kind,
        original_name=file_name,
        content_type="application/pdf",
        size=len(pdf),
        uploaded_by_id=actor_id,
        generated=True,
    )
    document.file.save("document.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            # A draft already attached to an application stays (the case keeps what was submitted with it).
            earlier = list(
                business.documents.select_for_update(of=("self",)).filter(
                    kind=kind, generated=True, applications__isnull=True
                )
            )
            # Nor one a submitted case rests on (it left the application's selection, not the case's evidence).
            earlier = [old for old in earlier if not evidence_holds(old)]
            for old in earlier:
                old.delete()
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    for old in earlier:
        stored = old.file
        transaction.on_commit(lambda stored=stored: stored.delete(save=False))  # type: ignore[misc]
    return document
