"""The public catalogue of certified products (no login, no JavaScript): list, product page, photos, CSV, sitemap.

Every page reads the certificate status live (certification.catalogue.selectors.catalogue): a revoked certificate
takes its products out on the next request. Photos are served from our own storage only through these views, so
an entry that leaves the catalogue takes its photo with it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from applicants.models import Product
from applicants.models.listings import ListingPhoto, ProductListing
from applicants.models.permits import DistributionPermit
from certification.catalogue import selectors as market_selectors
from core.files.exports import csv_response
from core.web.pagination import BoundedPaginator

PAGE_SIZE = 10  # ten thumbnails of ~15 KB, loaded lazily: the first page stays under 150 KB on a phone
PERMIT_FILTERS = ("pirt", "bpom_md", "any", "none")
COUNT_LIMIT = 1000  # a hundred pages of ten: past that a visitor searches rather than pages
COUNT_SECONDS = 60


def catalogue_filters(params: Any) -> dict[str, str]:
    """The filters a visitor may give, cleaned: anything unknown is ignored rather than refused."""
    region = str(params.get("region") or "").strip()
    category = str(params.get("category") or "").strip()
    permit = str(params.get("permit") or "").strip()
    return {
        "q": str(params.get("q") or "").strip()[:100],
        "region": region if region.isdigit() and len(region) == 4 else "",
        "category": category if category in Product.Category.values else "",
        "permit": permit if permit in PERMIT_FILTERS else "",
    }


def permit_numbers(entry: ProductListing) -> list[str]:
    return [f"{p.get_kind_display()} {p.number}" for p in getattr(entry.product, "real_permits", [])]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    filters = catalogue_filters(request.GET)
    # Counted up to COUNT_LIMIT entries and kept a minute (the pager may lag, the entries never do): an exact count
    # of a national catalogue took 1.5-2 s at 1M.
    page = BoundedPaginator(
        market_selectors.catalogue(**filters), PAGE_SIZE, cap=COUNT_LIMIT, count_seconds=COUNT_SECONDS
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "regions": market_selectors.catalogue_region_choices(),
        "categories": Product.Category.choices,
        "permit_choices": [
            ("pirt", DistributionPermit.Kind.PIRT.label),
            ("bpom_md", DistributionPermit.Kind.BPOM_MD.label),
            ("any", "PIRT / BPOM MD"),
        ],
        "query": query.urlencode(),
        "canonical": _absolute(reverse("certification:catalogue")),
    }
    return render(request, "certification/catalogue.html", context)


@require_GET
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = market_selectors.catalogue_entry(pk)
    if entry is None:
        raise Http404
    context = {
        "entry": entry,
        "more_photos": list(entry.more_photos.all()),
        "product": entry.product,
        "permits": permit_numbers(entry),
        "canonical": _absolute(reverse("certification:catalogue-detail", args=[entry.pk])),
        "photo_url": _absolute(reverse("certification:catalogue-photo", args=[entry.pk, "photo"]))
        if entry.photo
        else "",
    }
    return render(request, "certification/catalogue_detail.html", context)


def _public_entry(pk: int) -> ProductListing | None:
    return (
        market_selectors.catalogue()
        .filter(pk=pk)
        .select_related(None)
        .prefetch_related(None)
        .only("photo", "thumbnail")
        .first()
    )


@require_GET
def catalogue_photo(request: HttpRequest, pk: int, size: str) -> FileResponse:
    if size not in ("photo", "thumb"):
        raise Http404
    entry = _public_entry(pk)
    stored = None if entry is None else (entry.photo if size == "photo" else entry.thumbnail)
    return _image(stored)


@require_GET
def catalogue_more_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A further photo, only while its entry is in the catalogue."""
    extra = ListingPhoto.objects.filter(pk=photo_pk, listing_id=pk).first() if _public_entry(pk) else None
    return _image(None if extra is None else extra.photo)


def _image(stored: Any) -> FileResponse:
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"  # short: a revoked product's photo goes soon after it
    response["X-Content-Type-Options"] = "nosniff"
    return response


CSV_HEADER = (
    "id",
    "product",
    "category",
    "business",
    "regency_code",
    "regency",
    "certificate_number",
    "permits",
    "price_min",
    "price_max",
    "whatsapp",
    "phone",
    "links",
    "url",
)


def catalogue_row(entry: ProductListing) -> dict[str, Any]:
    """One entry as open data (the CSV's columns, the API's fields)."""
    product = entry.product
    return {
        "id": entry.pk,
        "product": product.name,
        "category": product.category,
        "business": product.business.name,
        "regency_code": product.business.region.code,
        "regency": product.business.region.name,
        "certificate_number": getattr(entry, "certificate_number", ""),
        "permits": [{"kind": p.kind, "number": p.number} for p in getattr(product, "real_permits", [])],
        "price_min": entry.price_min,
        "price_max": entry.price_max,
        "whatsapp": entry.whatsapp_url,
        "phone": entry.phone,
        "links": list(entry.links),
        "url": _absolute(reverse("certification:catalogue-detail", args=[entry.pk])),
    }


@require_GET
def catalogue_csv(request: HttpRequest) -> Any:
    entries = market_selectors.catalogue(**catalogue_filters(request.GET))

    def rows() -> Any:
        for entry in entries.iterator(chunk_size=500):
            row = catalogue_row(entry)
            row["permits"] = "; ".join(f"{p['kind']}:{p['number']}" for p in row["permits"])
            row["links"] = " ".join(row["links"])
            yield [row[name] for name in CSV_HEADER]

    return csv_response("katalog-produk-halal.csv", CSV_HEADER, rows())


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    entries = market_selectors.catalogue().only("pk", "updated_at").values_list("pk", "updated_at")
    urls = [(_absolute(reverse("certification:catalogue")), None)]
    urls += [(_absolute(reverse("certification:catalogue-detail", args=[pk])), updated) for pk, updated in entries]
    body = render_to_string("certification/sitemap.xml", {"urls": urls})
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
