"""The assistant's verification (verval) pages: the phone page the assigned assistant fills in on site, the
site-visit photos, and the verification as the case pages show it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from certification import selectors
from certification.contact import contact_of
from certification.models import Application, EvidenceSnapshot, VerificationItem, VerificationPhoto
from certification.verification import services as verification_services
from certification.verification.services import RESOLUTIONS
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError


def verification_context(application: Application, user: Any) -> dict[str, Any]:
    """The assistant's verification as the case pages show it: the checklist with verdicts, the findings, the
    visit and its photos; and whether this user may edit it now."""
    verification = selectors.verification_of(application)
    rows = verification_services.checklist(application, verification) if verification is not None else []
    return {
        "verification": verification,
        "checklist": rows,
        "findings": [row for row in rows if row.item is not None and row.item.is_finding],
        "verification_photos": list(verification.photos.all()) if verification is not None else [],
        "can_verify": application.state == verification_services.EDITABLE_STATE
        and application.assigned_pph_id == user.pk,
    }


# --- The assistant's verification (verval) ---
def _verval_case(request: HttpRequest, pk: int) -> Application:
    """The case, for the assistant assigned to it while it is with them; anyone else gets 404."""
    return get_object_or_404(
        selectors.applications_for(request.user).filter(
            assigned_pph=request.user, state=verification_services.EDITABLE_STATE
        ),
        pk=pk,
    )


def _posted_items(request: HttpRequest, keys: list[str]) -> dict[str, dict[str, str]]:
    return {
        key: {
            "verdict": request.POST.get(f"verdict-{key}", ""),
            "evidence": request.POST.get(f"evidence-{key}", ""),
            "note": request.POST.get(f"note-{key}", ""),
        }
        for key in keys
        if f"verdict-{key}" in request.POST or f"note-{key}" in request.POST
    }


@role_required(roles.PPH)
def verval(request: HttpRequest, pk: int) -> HttpResponse:
    """One phone page: the checklist (a verdict and a note per ingredient and process step), the visit (date, GPS
    position from the browser, photos) and the recommendation. Works without JavaScript except the GPS button."""
    application = _verval_case(request, pk)
    verification = selectors.verification_of(application)
    rows = verification_services.checklist(application, verification)
    posted: dict[str, dict[str, str]] = {}
    error: DomainError | None = None
    if request.method == "POST":
        posted = _posted_items(request, [row.key for row in rows])
        try:
            verification_services.verification_save(
                application_id=application.pk,
                actor=request.user,
                items=posted,
                visit_date=request.POST.get("visit_date", ""),
                latitude=request.POST.get("latitude", ""),
                longitude=request.POST.get("longitude", ""),
                recommendation=request.POST.get("recommendation", ""),
                photos=request.FILES.getlist("photos"),
                remove_photo_ids=[int(v) for v in request.POST.getlist("remove_photo") if v.isdigit()],
            )
        except DomainError as failure:
            error = failure
            messages.error(request, str(failure))
        else:
            messages.success(request, _("Verification saved."))
            target = "certification:case" if request.POST.get("done") else "certification:verval"
            return redirect(target, application.pk)
    lines = []
    for row in rows:
        given = posted.get(row.key, {})
        lines.append(
            {
                "row": row,
                "verdict": given.get("verdict", row.item.verdict if row.item else ""),
                "evidence": given.get("evidence", row.item.evidence if row.item else ""),
                "note": given.get("note", row.item.note if row.item else ""),
                "errors": error.errors.get(row.key, []) if error else [],
            }
        )
    source = request.POST if error else {}
    snapshot = EvidenceSnapshot.objects.filter(pk=application.evidence_id).only("number", "content_hash").first()
    return render(
        request,
        "certification/verval.html",
        {
            "application": application,
            "contact": contact_of(application, request.user),
            "verification": verification,
            "lines": lines,
            "evidence_number": snapshot.number if snapshot else None,
            "evidence_hash": snapshot.short_hash if snapshot else "",
            "verdicts": VerificationItem.Verdict.choices,
            "resolutions": [
                (value, label) for value, label in VerificationItem.Evidence.choices if value in RESOLUTIONS
            ],
            "visit_date": source.get("visit_date")
            or (verification.visit_date.isoformat() if verification and verification.visit_date else ""),
            "latitude": source.get("latitude")
            or (verification.latitude if verification and verification.latitude is not None else ""),
            "longitude": source.get("longitude")
            or (verification.longitude if verification and verification.longitude is not None else ""),
            "recommendation": source.get("recommendation") or (verification.recommendation if verification else ""),
            "photos": list(verification.photos.all()) if verification else [],
            "errors": error.errors if error else {},
            # Not `errors.items` in the template: with no "items" key Django falls back to dict.items() and prints
            # the (key, messages) tuples of the other lines.
            "checklist_errors": error.errors.get("items", []) if error else [],
            "today": selectors.cal.today().isoformat(),
        },
        status=400 if error else 200,
    )


@login_required
def verval_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponse:
    """A site-visit photo (`photo` or `thumb`): whoever may see the case; anyone else gets 404."""
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    photo = get_object_or_404(VerificationPhoto.objects.filter(verification__application=application), pk=photo_pk)
    if size not in ("photo", "thumb"):
        raise Http404
    file = photo.photo if size == "photo" else photo.thumbnail
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
