"""Staff pages: the registry with search and filters, CSV/XLSX export of the filtered list."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants import selectors
from applicants.forms import RegistryFilterForm
from applicants.models import Business
from applicants.scale import scale_by_sales, scale_by_workforce
from core.access import roles
from core.access.decorators import role_required
from core.files.exports import neutral_row, xlsx_response
from core.web.pagination import CachedCountPaginator

PAGE_SIZE = 50
# A failed import job lists at most this many bad rows on its page (the count says how many there are).


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
        yield writer.writerow(neutral_row(_export_header()))
        for row in _export_rows(queryset):
            yield writer.writerow(neutral_row(row))  # formula injection (core.files.exports.neutralise)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@role_required(*roles.STAFF_ROLES)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Write-only workbook spooled to a temporary file (core.files.exports); national lists go through an export job."""
    _form, queryset = _filtered(request)
    return xlsx_response(_filename("xlsx"), _export_header(), _export_rows(queryset))
