"""Staff exports (CSV streams, XLSX write-only) with the list pages' own filters. Never passwords or tokens.

Businesses: applicants has its own registry export (registry/export.csv|xlsx), reused as it is.
Certificates: the public registry's filters (q, region) plus status; tokens are never exported.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from applicants.selectors import jurisdiction_q
from certification import selectors as cert
from certification.forms import QueueFilterForm
from core.access import staff_required
from core.exports import CHUNK_SIZE, respond
from training import selectors as tr

FORMATS = ("csv", "xlsx")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@staff_required
@require_GET
def applications(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None, user=request.user)
    data: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    columns = (
        ("pk", "id"),
        ("business__name", "business"),
        ("business__nib", "nib"),
        ("business__region__code", "region_code"),
        ("business__region__name", "region"),
        ("pathway", "pathway"),
        ("state", "state"),
        ("submitted_at", "submitted_at"),
        ("due_on", "due_on"),
        ("assigned_reviewer__email", "reviewer"),
        ("assigned_pph__email", "pph"),
        ("fee_amount", "fee_rp"),
    )
    rows = cert.case_queue(request.user, data).values_list(*[c for c, _h in columns]).iterator(chunk_size=CHUNK_SIZE)
    return respond(_format(fmt), "applications", [h for _c, h in columns], rows)


@staff_required
@require_GET
def programs(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = tr.program_list(
        user=request.user, query=request.GET.get("q", "").strip(), topic=request.GET.get("topic", "")
    )
    columns = (
        ("pk", "id"),
        ("title", "title"),
        ("topic", "topic"),
        ("organiser", "organiser"),
        ("start_date", "start_date"),
        ("end_date", "end_date"),
        ("venue", "venue"),
        ("capacity", "capacity"),
        ("enrolled_count", "enrolled"),
        ("attended_count", "attended"),
        ("covered_count", "followed_up"),
        ("follow_up_due_on", "follow_up_due_on"),
        ("responsible_officer__email", "officer"),
    )
    rows = queryset.values_list(*[c for c, _h in columns]).iterator(chunk_size=CHUNK_SIZE)
    return respond(_format(fmt), "programs", [h for _c, h in columns], rows)


@staff_required
@require_GET
def follow_ups(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = tr.follow_ups_for(request.user)
    if request.GET.get("program", "").isdigit():
        queryset = queryset.filter(enrollment__program_id=int(request.GET["program"]))
    if request.GET.get("done") in ("yes", "no"):
        queryset = queryset.filter(done_on__isnull=request.GET["done"] == "no")
    columns = (
        ("pk", "id"),
        ("enrollment__program__title", "program"),
        ("enrollment__business__name", "business"),
        ("kind", "kind"),
        ("planned_on", "planned_on"),
        ("done_on", "done_on"),
        ("responsible_officer__email", "officer"),
    )
    rows = queryset.values_list(*[c for c, _h in columns]).iterator(chunk_size=CHUNK_SIZE)
    return respond(_format(fmt), "follow-ups", [h for _c, h in columns], rows)


@staff_required
@require_GET
def certificates(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = cert.certificates_public_search(
        q=request.GET.get("q", "")[:100], region=request.GET.get("region", "")[:100]
    )
    queryset = queryset.filter(jurisdiction_q(request.user, "application__business__"))
    status = request.GET.get("status", "")
    if status in {"valid", "revoked", "superseded"}:
        queryset = queryset.filter(status=status)
    columns = (
        ("number", "number"),
        ("business_name", "business"),
        ("nib", "nib"),
        ("region_code", "region_code"),
        ("region_name", "region"),
        ("products_text", "products"),
        ("pathway", "pathway"),
        ("issued_at", "issued_at"),
        ("fatwa_number", "fatwa_number"),
        ("fatwa_date", "fatwa_date"),
        ("status", "status"),
        ("revoked_at", "revoked_at"),
        ("revocation_reason", "revocation_reason"),
    )
    rows = queryset.values_list(*[c for c, _h in columns]).iterator(chunk_size=CHUNK_SIZE)
    return respond(_format(fmt), "certificates", [h for _c, h in columns], rows)
