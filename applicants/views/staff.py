"""Staff pages: the registry with search and filters, CSV/XLSX export of the filtered list, list import."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants import importing, selectors
from applicants.forms import ImportForm, RegistryFilterForm
from applicants.models import Business
from applicants.scale import scale_by_sales, scale_by_workforce
from core import roles
from core.access import role_required
from core.errors import DomainError
from core.exports import xlsx_response
from core.pagination import CachedCountPaginator

PAGE_SIZE = 50
# A failed import job lists at most this many bad rows on its page (the count says how many there are).
ERRORS_SHOWN = 500
SESSION_KEY = "applicants_import_rows"


def _filtered(request: HttpRequest) -> tuple[RegistryFilterForm, QuerySet[Business]]:
    form = RegistryFilterForm(request.GET or None)
    return form, selectors.registry_search(request.user, **form.filters())


@role_required(*roles.STAFF_ROLES)
def registry(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    page = CachedCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count}
    return render(request, "applicants/registry.html", context)


def _export_header() -> list[str]:
    return [
        _("Name"),
        _("NIB"),
        _("Owner"),
        _("Region"),
        _("Sector"),
        _("KBLI"),
        _("Workforce"),
        _("Latest year"),
        _("Annual sales (Rp)"),
        _("Gross income (Rp)"),
        _("Scale (PP 7/2021)"),
        _("Scale (BPS)"),
        _("Products"),
    ]


def _export_rows(queryset: QuerySet[Business]) -> Iterator[list[Any]]:
    for business in queryset.iterator(chunk_size=500):
        sales = business.latest_sales
        workforce = business.latest_workforce or business.workforce
        yield [
            business.name,
            business.nib,
            business.owner.email,
            business.region.name,
            str(business.get_sector_display()),
            business.kbli,
            workforce,
            business.latest_year or "",
            sales if sales is not None else "",
            sales - business.latest_expenses if sales is not None else "",
            str(scale_by_sales(sales).label) if sales is not None else "",
            str(scale_by_workforce(workforce).label),
            business.product_count,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(ext: str) -> str:
    return f"registry-{timezone.localdate().isoformat()}.{ext}"


@role_required(*roles.STAFF_ROLES)
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _form, queryset = _filtered(request)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(_export_header())
        for row in _export_rows(queryset):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@role_required(*roles.STAFF_ROLES)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Write-only workbook spooled to a temporary file (core.exports); national lists go through an export job."""
    _form, queryset = _filtered(request)
    return xlsx_response(_filename("xlsx"), _export_header(), _export_rows(queryset))


@role_required(*roles.STAFF_ROLES)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("\ufeff" + importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="business-import-template.csv"'
    return response


def _import_context(
    request: HttpRequest, form: ImportForm, result: importing.ImportResult | None = None
) -> dict[str, Any]:
    return {
        "form": form,
        "result": result,
        "columns": importing.COLUMNS,
        "required": importing.REQUIRED,
        "max_rows": importing.MAX_ROWS,
        "preview_rows": importing.PREVIEW_ROWS,
        "jobs": selectors.import_jobs_for(request.user)[:5],
    }


@role_required(*roles.STAFF_ROLES)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file. Up to PREVIEW_ROWS rows: every row is checked here (nothing written) and a button starts the job;
    a larger file starts the job at once (the worker checks and writes, all or nothing)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.UPLOAD_MAX_BYTES:
                raise DomainError(_("The file is too large."))
            rows = importing.read_rows(upload.read())
            if len(rows) > importing.PREVIEW_ROWS:
                job = importing.import_job_start(actor=request.user, rows=rows, file_name=upload.name)
                return redirect("applicants:import_job", job.pk)
            result = importing.businesses_import(actor=request.user, rows=rows, commit=False)
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            if result.ok:
                request.session[SESSION_KEY] = {"rows": rows, "file_name": upload.name[:200]}
            else:
                request.session.pop(SESSION_KEY, None)
    return render(request, "applicants/import.html", _import_context(request, form, result))


@role_required(*roles.STAFF_ROLES)
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Start the job that writes the previewed rows, all or nothing (checked again: the registry may have changed)."""
    if request.method != "POST":
        return redirect("applicants:import")
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not isinstance(pending, dict) or not pending.get("rows"):
        messages.error(request, _("Nothing to import: upload a file first."))
        return redirect("applicants:import")
    try:
        job = importing.import_job_start(actor=request.user, rows=pending["rows"], file_name=pending["file_name"])
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("applicants:import")
    return redirect("applicants:import_job", job.pk)


@role_required(*roles.STAFF_ROLES)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One's own import job: progress while it runs (the page refreshes itself), the bad rows when it failed."""
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    done = importing.import_job_progress(job)
    context = {"job": job, "done": done, "percent": 100 * done // job.total if job.total else 0}
    context["shown_errors"] = job.errors[:ERRORS_SHOWN]
    return render(request, "applicants/import_job.html", context)
