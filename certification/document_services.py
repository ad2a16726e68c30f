"""Documents the platform writes for a case, rendered to PDF by a worker (one per kind and case):

- the STTD (Surat Tanda Terima Dokumen), the receipt that the documents were accepted: self-declare at document
  verification, regular at payment (workflow.json version 2);
- the statement that a product is not halal (surat keterangan produk tidak halal), when the fatwa rejects it
  (SIPPN service standard).

Requesting one is idempotent (a row per application and kind); rendering stores the file once, like the
certificate PDF: a task run twice leaves one file.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from certification.evidence.selectors import documents_shown, evidence_of
from certification.evidence.services import build_content
from certification.models import Application, CaseDocument, Verification
from certification.verification.services import checklist
from certification.workflow import table as wf
from core.files.pdf import render_pdf
from core.tasks import enqueue_on_commit

TEMPLATES = {
    CaseDocument.Kind.STTD: "certification/sttd_pdf.html",
    CaseDocument.Kind.NOT_HALAL: "certification/not_halal_pdf.html",
    CaseDocument.Kind.VALIDATION_REPORT: "certification/validation_report_pdf.html",
}
PREFIX = {
    CaseDocument.Kind.STTD: "STTD",
    CaseDocument.Kind.NOT_HALAL: "SKPTH",
    CaseDocument.Kind.VALIDATION_REPORT: "LHV",
}


def document_number(*, application: Application, kind: str) -> str:
    """`STTD/2026/1871/0000042`: kind, year, regency code, case number."""
    year = timezone.localdate().year
    return f"{PREFIX[CaseDocument.Kind(kind)]}/{year}/{application.business.region.code}/{application.pk:07d}"


def case_document_request(*, application: Application, kind: str, render_again: bool = False) -> CaseDocument:
    """The case's document of this kind, created once; its PDF is rendered by a worker after commit.
    `render_again`: the record it is drawn from changed (a second validation), so the old file is dropped."""
    document, created = CaseDocument.objects.get_or_create(
        application=application,
        kind=kind,
        defaults={"number": document_number(application=application, kind=kind)},
    )
    if render_again and document.file:
        old = document.file.name
        document.file, document.rendered_at = "", None
        document.save(update_fields=["file", "rendered_at"])
        storage = CaseDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(old))
    if created or not document.file:
        enqueue_on_commit("certification.render_case_document", document.pk)
    return document


def _context(document: CaseDocument) -> dict[str, Any]:
    application = (
        Application.objects.select_related("business", "business__region", "business__owner", "lph")
        .prefetch_related("products", "documents")
        .get(pk=document.application_id)
    )
    context: dict[str, Any] = {}
    if document.kind == CaseDocument.Kind.VALIDATION_REPORT:
        context = _verification_context(application)
    evidence = evidence_of(application)  # what the case rests on, never the live dossier
    content = evidence.content if evidence is not None else build_content(application)
    return {
        **context,
        "document": document,
        "application": application,
        "business": application.business,
        "evidence": evidence,
        "products": sorted(content["products"], key=lambda p: (p["name"], p["id"])),
        "documents": documents_shown(content),
        "pathway_id": str(dict(PATHWAY_LABELS_ID).get(application.pathway, application.pathway)),
        "fatwa_body": wf.FATWA_BODIES.get(application.fatwa_body, ""),
        # Who issues the statement: BPJPH (a facilitating office records it), or this deployment's authority.
        "issuer_name": settings.BPJPH_NAME
        if settings.CERTIFICATE_ISSUER == "bpjph"
        else settings.CERTIFICATE_AUTHORITY_NAME,
        "recorded_from_bpjph": settings.CERTIFICATE_ISSUER == "bpjph",
        "appeal_window_ends": wf.appeal_window_ends(application),
        "banding_days": settings.BANDING_WINDOW_WORKING_DAYS,
        "today": timezone.localdate(),
    }


def _verification_context(application: Application) -> dict[str, Any]:
    """The assistant's record for the validation report: checklist lines, the visit and its photos (embedded as
    data URIs, so the PDF needs no file URL)."""
    verification = (
        Verification.objects.select_related("updated_by", "application__assigned_pph")
        .filter(application=application)
        .first()
    )
    photos = []
    if verification is not None:
        for photo in verification.photos.all():
            with photo.photo.open("rb") as handle:
                data = base64.b64encode(handle.read()).decode("ascii")
            photos.append({"src": f"data:image/jpeg;base64,{data}", "caption": photo.caption})
    return {
        "verification": verification,
        "rows": checklist(application, verification),
        "photos": photos,
        "assistant": application.assigned_pph,
    }


PATHWAY_LABELS_ID = ((wf.SELF_DECLARE, "Pernyataan Pelaku Usaha (self-declare)"), (wf.REGULAR, "Reguler"))


def case_document_pdf_bytes(document: CaseDocument) -> bytes:
    """The document's PDF (pure rendering, nothing stored), in Indonesian."""
    with translation.override("id"):  # labels and the classification's texts in the context too
        context = _context(document)
    return render_pdf(TEMPLATES[CaseDocument.Kind(document.kind)], context, language="id")


def case_document_render(*, document_id: int) -> CaseDocument | None:
    """Render and store the PDF once; a second run leaves the first file alone (None when the row is gone)."""
    document = CaseDocument.objects.filter(pk=document_id).first()
    if document is None or document.file:
        return document
    content = case_document_pdf_bytes(document)
    with transaction.atomic():
        locked = CaseDocument.objects.select_for_update().get(pk=document_id)
        if locked.file:
            return locked
        locked.file.save(f"{locked.kind}.pdf", ContentFile(content), save=False)
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["file", "rendered_at"])
    return locked
