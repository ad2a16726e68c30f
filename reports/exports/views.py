"""Staff exports (CSV streams, XLSX write-only) with the list pages' own filters. Never passwords or tokens.

Headers and labels in Indonesian by default, English with `?lang=en`; times in WIB (core.files.exports.Column).
Businesses: applicants has its own registry export (registry/export.csv|xlsx), reused as it is.
Certificates: the public registry's filters (q, region) plus status; tokens are never exported.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from applicants.selectors import jurisdiction_q
from certification import selectors as cert
from certification.certificates import selectors as certificate_selectors
from certification.filters import QueueFilterForm
from certification.models import Certificate, Pathway
from certification.workflow import table as wf
from core.access.decorators import staff_required
from core.files.exports import Column, respond_columns
from training import selectors as tr
from training.models import FollowUp, Program

FORMATS = ("csv", "xlsx")


def _stage_name(state: str, pathway: str) -> str:
    return wf.public_label(state, get_language(), pathway)


# Each stage by the name the workflow table gives it on the case's pathway (the fatwa stage: "Komite Fatwa Produk
# Halal" for self-declare, "Sidang Fatwa MUI" for regular), in the export's language, as pages and notices say it.
STAGE_NAMES = [
    (f"{state}:{pathway}", lazy(partial(_stage_name, state, pathway), str)())
    for state in wf.STATES
    for pathway in wf.PATHWAYS
]


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
        Column("pk", _("ID")),
        Column("business__name", _("Business")),
        Column("business__nib", _("NIB")),
        Column("business__region__code", _("Region code")),
        Column("business__region__name", _("Regency / city")),
        Column("pathway", _("Pathway"), Pathway.choices),
        Column("state", _("Status"), STAGE_NAMES, by="pathway"),
        Column("submitted_at", _("Submitted at (WIB)")),
        Column("due_on", _("Due on")),
        Column("assigned_reviewer__email", _("Reviewer")),
        Column("assigned_pph__email", _("Halal process assistant")),
        Column("fee_amount", _("Fee (Rp)")),
    )
    return respond_columns(request, _format(fmt), "applications", columns, cert.case_queue(request.user, data))


@staff_required
@require_GET
def programs(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = tr.program_list(
        user=request.user, query=request.GET.get("q", "").strip(), topic=request.GET.get("topic", "")
    )
    columns = (
        Column("pk", _("ID")),
        Column("title", _("Title")),
        Column("topic", _("Topic"), Program.Topic.choices),
        Column("organiser", _("Organiser")),
        Column("start_date", _("Start date")),
        Column("end_date", _("End date")),
        Column("venue", _("Venue")),
        Column("capacity", _("Capacity")),
        Column("enrolled_count", _("Enrolled")),
        Column("attended_count", _("Attended")),
        Column("covered_count", _("Followed up")),
        Column("follow_up_due_on", _("Follow-up due on")),
        Column("responsible_officer__email", _("Officer")),
    )
    return respond_columns(request, _format(fmt), "programs", columns, queryset)


@staff_required
@require_GET
def follow_ups(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = tr.follow_ups_for(request.user)
    if request.GET.get("program", "").isdigit():
        queryset = queryset.filter(enrollment__program_id=int(request.GET["program"]))
    if request.GET.get("done") in ("yes", "no"):
        queryset = queryset.filter(done_on__isnull=request.GET["done"] == "no")
    columns = (
        Column("pk", _("ID")),
        Column("enrollment__program__title", _("Programme")),
        Column("enrollment__business__name", _("Business")),
        Column("kind", _("Kind"), FollowUp.Kind.choices),
        Column("planned_on", _("Planned date")),
        Column("done_on", _("Done date")),
        Column("responsible_officer__email", _("Officer")),
    )
    return respond_columns(request, _format(fmt), "follow-ups", columns, queryset)


@staff_required
@require_GET
def certificates(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = certificate_selectors.certificates_public_search(
        q=request.GET.get("q", "")[:100], region=request.GET.get("region", "")[:100]
    )
    queryset = queryset.filter(jurisdiction_q(request.user, "application__business__"))
    status = request.GET.get("status", "")
    if status in {"valid", "revoked", "superseded"}:
        queryset = queryset.filter(status=status)
    columns = (
        Column("number", _("Number")),
        Column("business_name", _("Business")),
        Column("nib", _("NIB")),
        Column("region_code", _("Region code")),
        Column("region_name", _("Regency / city")),
        Column("products_text", _("Products")),
        Column("pathway", _("Pathway"), Pathway.choices),
        Column("issued_at", _("Issued at (WIB)")),
        Column("fatwa_number", _("Fatwa decision number")),
        Column("fatwa_date", _("Fatwa decision date")),
        Column("status", _("Status"), Certificate.Status.choices),
        Column("revoked_at", _("Revoked at (WIB)")),
        Column("revocation_reason", _("Reason for revoking")),
    )
    return respond_columns(request, _format(fmt), "certificates", columns, queryset)
