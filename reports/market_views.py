"""Staff pages of market access: certified products without a distribution permit, by regency."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certification import market_selectors
from core.access import staff_required

PAGE_SIZE = 50


@staff_required
@require_GET
def permit_gaps(request: HttpRequest) -> HttpResponse:
    region = (request.GET.get("region") or "").strip()[:4]
    region = region if region.isdigit() else ""
    queryset = market_selectors.certified_products_without_permit(region_code=region)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"regencies": market_selectors.permit_gaps_by_regency(), "page": page, "region": region}
    return render(request, "reports/permit_gaps.html", context)
