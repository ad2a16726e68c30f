"""Freezing the evidence of a submission.

`snapshot_take` runs inside the submit/resubmit transition (the application row locked): it reads the live dossier
once (`build_content`), hashes it (SHA-256 of canonical JSON), counts what changed since the previous snapshot (for a
product development's first submission: the snapshot of the certificate it develops) and stores the snapshot, which
the transition seals into the hash chain of the case's events.

The content is plain JSON: codes, not labels (the pages translate them), the classification's reasons in both
languages (as the platform said them that day), NIKs masked, documents by id, name, size and SHA-256 (the files are
kept: a document a submitted case rests on is never deleted or overwritten).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation

from applicants.models import DistributionPermit, Document, Ingredient, Person, ProcessStep
from applicants.selectors import latest_figures
from applicants.services import document_fingerprint
from certification.evidence.changes import diff
from certification.models import Application, Certificate, EvidenceSnapshot
from core.files.uploads import file_sha256

SCHEMA = 1
LANGUAGES = ("id", "en")


def canonical(content: Any) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(content: Any) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def ingredient_key(product_id: int, name: str) -> str:
    """A checklist line's name for an ingredient: stable across resubmissions while the product and the ingredient's
    name stay (the dossier writes ingredients anew on each edit, so their ids do not)."""
    normal = " ".join(str(name).lower().split())
    return f"i-{product_id}-{hashlib.sha1(normal.encode(), usedforsecurity=False).hexdigest()[:10]}"


def step_key(product_id: int, order: int) -> str:
    return f"s-{product_id}-{order}"


def line_digest(line: dict[str, Any]) -> str:
    """What a verdict was given on: the line's data (not the language of its texts). A verdict recorded on an earlier
    version of the line no longer counts once the line changed."""
    data = {k: v for k, v in line.items() if k not in ("classification", "key")}
    if isinstance(line.get("classification"), dict):
        data["basis"] = line["classification"].get("basis")
        data["doubtful"] = line["classification"].get("doubtful")
    return content_hash(data)[:16]


def _region(region: Any) -> dict[str, str] | None:
    return {"code": region.code, "name": region.name} if region is not None else None


def _day(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _classification(ingredient: Ingredient, today: dt.date) -> dict[str, Any]:
    texts: dict[str, dict[str, str]] = {"reason": {}, "evidence": {}}
    verdict = ingredient.classification(today)
    for language in LANGUAGES:
        with translation.override(language):
            said = ingredient.classification(today)
        texts["reason"][language] = said.reason
        texts["evidence"][language] = said.evidence
    return {"doubtful": verdict.doubtful, "basis": verdict.basis, **texts}


def _ingredient(ingredient: Ingredient, today: dt.date) -> dict[str, Any]:
    entry = ingredient.positive_list_entry
    certificate = None
    if ingredient.halal_certificate_number:
        certificate = {
            "number": ingredient.halal_certificate_number,
            "issuer": ingredient.certificate_issuer,
            "body": ingredient.certificate_body,
            "valid_until": _day(ingredient.certificate_valid_until),
        }
    return {
        "key": ingredient_key(ingredient.product_id, ingredient.name),
        "name": ingredient.name,
        "kind": ingredient.kind,
        "producer": ingredient.producer,
        "brand": ingredient.brand,
        "supplier": ingredient.supplier,
        "certificate": certificate,
        "positive_list": {"id": entry.pk, "name": entry.name, "group": entry.group_name} if entry else None,
        "exempt_claim": ingredient.exempt_claim,
        "classification": _classification(ingredient, today),
    }


def _step(step: ProcessStep) -> dict[str, Any]:
    return {
        "key": step_key(step.product_id, step.order),
        "order": step.order,
        "stage": step.stage,
        "description": step.description,
        "ingredients": [i.name for i in step.ingredients.all()],
    }


def _document(document: Document) -> dict[str, Any]:
    sha256 = document_fingerprint(document=document)
    return {
        "id": document.pk,
        "kind": document.kind,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": sha256,
        "missing": not sha256,
        "uploaded_at": _day(document.uploaded_at),
        "product_id": document.product_id,
        "file": document.file.name,
    }


def _permit(permit: DistributionPermit) -> dict[str, Any]:
    """A distribution permit of a product (PIRT, BPOM MD) with its scan's SHA-256, so a later change of the permit or
    of its file shows against what the case rested on."""
    sha256 = ""
    if permit.document:
        try:
            with permit.document.open("rb") as handle:
                sha256 = file_sha256(handle)
        except (FileNotFoundError, OSError, ValueError):
            sha256 = ""
    return {
        "kind": permit.kind,
        "number": permit.number,
        "issuer": permit.issuer,
        "issued_on": _day(permit.issued_on),
        "expires_on": _day(permit.expires_on),
        "document_name": permit.document_name if permit.document else "",
        "document_sha256": sha256,
        "document_file": permit.document.name if permit.document else "",
    }


def build_content(application: Application, *, today: dt.date | None = None) -> dict[str, Any]:
    """The live dossier of the case as its evidence would be frozen now (no write besides documents' hashes)."""
    today = today or timezone.localdate()
    business = application.business
    figures = latest_figures(business)
    people = list(Person.objects.filter(business=business).order_by("role"))
    products = list(
        application.products.order_by("name", "id").prefetch_related(
            Prefetch("ingredients", queryset=Ingredient.objects.select_related("positive_list_entry").order_by("id")),
            Prefetch("steps", queryset=ProcessStep.objects.prefetch_related("ingredients").order_by("order")),
            Prefetch("permits", queryset=DistributionPermit.objects.order_by("kind")),
        )
    )
    held = {d.pk: d for d in application.documents.all()}
    extra = [pk for p in people for pk in (p.appointment_letter_id, p.cv_id, p.training_certificate_id) if pk]
    for document in Document.objects.filter(pk__in=[pk for pk in extra if pk not in held]):
        held[document.pk] = document
    return {
        "schema": SCHEMA,
        "application": {
            "id": application.pk,
            "pathway": application.pathway,
            "lph": str(application.lph or application.lph_name or ""),
            "pledge": {"version": application.pledge_version, "signed_at": _day(application.pledge_signed_at)}
            if application.pledge_signed_at
            else None,
            "sihalal_registration": application.sihalal_registration,
            "developed_certificate": application.developed_certificate_id,
        },
        "business": {
            "id": business.pk,
            "name": business.name,
            "nib": business.nib,
            "legal_form": business.legal_form,
            "address": business.address,
            "region": _region(business.region),
            "kbli": business.kbli,
            "sector": business.sector,
            "production_started": _day(business.production_started),
            "outlets": business.outlets,
            "production_facilities": business.production_facilities,
            "workforce": business.workforce,
            "phone": business.phone,
            "halal_supervisor": business.halal_supervisor,
            "separate_halal_facility": business.separate_halal_facility,
        },
        "figures": {
            "year": figures.year,
            "annual_sales": figures.annual_sales,
            "operating_expenses": figures.operating_expenses,
            "workforce": figures.workforce,
        }
        if figures is not None
        else None,
        "people": [
            {
                "role": person.role,
                "name": person.name,
                "position": person.position,
                "phone": person.phone,
                "nik": person.nik_masked,
                "religion": person.religion,
                "owner_acts": person.owner_acts,
                "documents": {
                    key: getattr(person, f"{key}_id")
                    for key in ("appointment_letter", "cv", "training_certificate")
                    if getattr(person, f"{key}_id")
                },
            }
            for person in people
        ],
        "facilities": [
            {"id": f.pk, "kind": f.kind, "name": f.name, "address": f.address, "region": _region(f.region)}
            for f in business.facilities.select_related("region").order_by("kind", "id")
        ],
        "products": [
            {
                "id": product.pk,
                "name": product.name,
                "brand": product.brand,
                "category": product.category,
                "description": product.description,
                "process": product.process,
                "preservation_methods": product.preservation_methods,
                "packaging": product.packaging,
                "kbli": product.kbli,
                "contains_slaughtered": product.contains_slaughtered,
                "slaughterhouse_certificate": product.slaughterhouse_certificate,
                "irradiated": product.irradiated,
                "ozonated": product.ozonated,
                "genetically_engineered": product.genetically_engineered,
                "ingredients": [_ingredient(i, today) for i in product.ingredients.all()],
                "steps": [_step(s) for s in product.steps.all()],
                "permits": [_permit(p) for p in product.permits.all()],
            }
            for product in products
        ],
        "documents": [_document(held[pk]) for pk in sorted(held)],
    }


def _previous(application: Application) -> EvidenceSnapshot | None:
    """The snapshot the changes count from: the case's newest, or for a product development's first submission the
    snapshot the developed certificate rests on."""
    if application.evidence_id is not None:
        return EvidenceSnapshot.objects.get(pk=application.evidence_id)
    if application.developed_certificate_id is not None:
        certificate = Certificate.objects.filter(pk=application.developed_certificate_id).first()
        if certificate is not None and certificate.evidence_id is not None:
            return EvidenceSnapshot.objects.get(pk=certificate.evidence_id)
    return None


def snapshot_take(*, application: Application, actor: Any, kind: str | None = None) -> EvidenceSnapshot:
    """Freeze what the submission rests on; sets `application.evidence` (the caller saves it with the transition).
    Must run inside the transition's transaction, the application row locked."""
    previous = _previous(application)
    if kind is None:
        if application.developed_certificate_id is not None and application.evidence_id is None:
            kind = EvidenceSnapshot.Kind.DEVELOPMENT
        elif application.evidence_id is None:
            kind = EvidenceSnapshot.Kind.SUBMISSION
        else:
            kind = EvidenceSnapshot.Kind.RESUBMISSION
    content = build_content(application)
    last = EvidenceSnapshot.objects.filter(application=application).order_by("-number").first()
    snapshot = EvidenceSnapshot.objects.create(
        application=application,
        number=(last.number + 1) if last is not None else 1,
        kind=kind,
        taken_by=actor,
        content=content,
        content_hash=content_hash(content),
        previous=previous,
        changes=diff(previous.content, content) if previous is not None else [],
    )
    snapshot.documents.set([row["id"] for row in content["documents"]])
    application.evidence = snapshot
    return snapshot
