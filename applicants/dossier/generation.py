"""A generation per business's dossier (core.generations): it changes whenever anything a submission would freeze
changes (the business card, figures, people, facilities, products with their ingredients, steps and permits, documents),
so that a result computed from the live dossier, kept under its generation, is never served after an edit.

Kept by model signals rather than by each service: the dossier has a dozen writers (forms, the API, the importer, the
permit and document services) and one missed call would serve a stale comparison; a signal cannot be forgotten.
Writes that send no signal (`bulk_create`, `QuerySet.update`) call `dossier_changed` themselves. Reference data a
dossier shows (positive-list entries, regions) moves every dossier's generation at once (`REFERENCE`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from applicants.models import (
    AnnualFigures,
    Business,
    DistributionPermit,
    Document,
    Facility,
    Ingredient,
    Person,
    PositiveListEntry,
    ProcessStep,
    Product,
    Region,
)
from core import generations

REFERENCE = "dossier-reference"


def generation_names(business_id: int) -> tuple[str, str]:
    """The generations a result computed from this business's live dossier is keyed on."""
    return (f"dossier:{business_id}", REFERENCE)


def dossier_changed(*, business_id: int) -> None:
    generations.bump(f"dossier:{business_id}")


def _business_of(instance: Any) -> int | None:
    if isinstance(instance, Business):
        return int(instance.pk)
    business_id = getattr(instance, "business_id", None)
    if business_id is not None:
        return int(business_id)
    product_id = getattr(instance, "product_id", None)
    if product_id is None:
        return None
    if instance._meta.get_field("product").is_cached(instance):  # deleted through product.ingredients: no query
        return int(instance.product.business_id)
    found = Product.objects.filter(pk=product_id).values_list("business_id", flat=True).first()
    return int(found) if found is not None else None


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    business_id = _business_of(instance)
    if business_id is not None:
        dossier_changed(business_id=business_id)


def _reference_changed(sender: Any, **kwargs: Any) -> None:
    generations.bump(REFERENCE)


DOSSIER_MODELS = (
    Business,
    AnnualFigures,
    Person,
    Facility,
    Product,
    Ingredient,
    ProcessStep,
    DistributionPermit,
    Document,
)


def connect() -> None:
    """Called once at start-up (ApplicantsConfig.ready)."""
    for model in DOSSIER_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"dossier-generation-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dossier-generation-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=ProcessStep.ingredients.through, dispatch_uid="dossier-generation-step-m2m")
    for model in (PositiveListEntry, Region):
        post_save.connect(_reference_changed, sender=model, dispatch_uid=f"dossier-reference-save-{model.__name__}")
        post_delete.connect(_reference_changed, sender=model, dispatch_uid=f"dossier-reference-delete-{model.__name__}")
