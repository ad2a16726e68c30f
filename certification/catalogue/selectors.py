"""Reads that join products with their certificates: which products are certified (live), which lack a permit."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from applicants.models import Product, Region
from applicants.models.listings import ProductListing
from applicants.models.permits import DistributionPermit
from applicants.selectors import jurisdiction_q
from certification.models import Application, Certificate


def valid_certificates_of_product() -> QuerySet[Certificate]:
    """Valid certificates naming the outer product (for Exists / Subquery)."""
    return Certificate.objects.filter(application__products=OuterRef("pk"), status=Certificate.Status.VALID)


def certified_products() -> QuerySet[Product]:
    """Products covered by a valid certificate right now (a revoked or superseded one does not count)."""
    return Product.objects.filter(Exists(valid_certificates_of_product()))


def _real_permit() -> QuerySet[DistributionPermit]:
    return DistributionPermit.objects.filter(product=OuterRef("pk")).exclude(kind=DistributionPermit.Kind.NONE)


def certified_products_without_permit(*, region_code: str = "", user: Any = None) -> QuerySet[Product]:
    queryset = certified_products().exclude(Exists(_real_permit()))
    if user is not None:  # the staff member's jurisdiction
        queryset = queryset.filter(jurisdiction_q(user, "business__"))
    if region_code:
        queryset = queryset.filter(business__region__code=region_code)
    return queryset.select_related("business__region").order_by("business__region__name", "business__name", "name")


def permit_gaps_by_regency(user: Any = None) -> list[dict[str, Any]]:
    """Per regency: certified products, how many hold a permit, how many lack one (one grouped query)."""
    products = certified_products()
    if user is not None:  # the staff member's jurisdiction
        products = products.filter(jurisdiction_q(user, "business__"))
    rows = (
        products.annotate(has_permit=Exists(_real_permit()))
        .values("business__region__code", "business__region__name")
        .annotate(certified=Count("pk"), lacking=Count("pk", filter=Q(has_permit=False)))
        .order_by("-lacking", "business__region__name")
    )
    return [
        {
            "code": row["business__region__code"],
            "name": row["business__region__name"],
            "certified": row["certified"],
            "lacking": row["lacking"],
            "with_permit": row["certified"] - row["lacking"],
        }
        for row in rows
    ]


# --- The public catalogue ------------------------------------------------------------------------------------------
# An entry shows while its owner publishes it AND a valid certificate names its product: the status is read live
# on every request (no cache), so a revoked certificate takes its products out at once.


def _valid_certificates_of_listing() -> QuerySet[Any]:
    """The product links of the listing's product (an OuterRef to the listing's product_id) whose application holds a
    valid certificate, newest first. Starting from the links (a few per product, by index) keeps PostgreSQL on index
    lookups; starting from the certificates made it hash every application, or every certificate, for each
    catalogue page at national size (0.7-24 s, bench/RESULTS.md)."""
    return Application.products.through.objects.filter(
        product_id=OuterRef("product_id"), application__certificate__status=Certificate.Status.VALID
    ).order_by("-application__certificate__issued_at", "-application__certificate__id")


def catalogue(*, q: str = "", region: str = "", category: str = "", permit: str = "") -> QuerySet[ProductListing]:
    """Published entries of certified products, with their certificate's number and token; filters as given.

    `permit`: "pirt" or "bpom_md" (holds that kind), "any" (holds one), "none" (holds none)."""
    valid = _valid_certificates_of_listing()
    queryset = (
        ProductListing.objects.filter(published=True)
        .filter(Exists(valid))
        .annotate(
            certificate_number=Subquery(valid.values("application__certificate__number")[:1]),
            certificate_token=Subquery(valid.values("application__certificate__token")[:1]),
        )
        .select_related("product__business__region")
        .prefetch_related(
            Prefetch(
                "product__permits",
                queryset=DistributionPermit.objects.exclude(kind=DistributionPermit.Kind.NONE),
                to_attr="real_permits",
            ),
        )
        # By the product's name and then the product (one listing per product): both in the index
        # product_name_idx, so a page walks the products in order and stops after ten entries instead of sorting
        # every published entry (400 ms at 1M, bench/RESULTS.md "Issue 34, part D").
        .order_by("product__name", "product_id")
    )
    q = q.strip()
    if q:
        queryset = queryset.filter(Q(product__name__icontains=q) | Q(product__business__name__icontains=q))
    if region:
        queryset = queryset.filter(product__business__region__code=region)
    if category:
        queryset = queryset.filter(product__category=category)
    held = DistributionPermit.objects.filter(product=OuterRef("product_id")).exclude(kind=DistributionPermit.Kind.NONE)
    # A scalar subquery (the first such permit, or NULL) rather than EXISTS: PostgreSQL turns an EXISTS into a
    # semi or anti join, misjudged it at 1 row for 45,000 and sorted them all (1.7-3.6 s at 1M); a scalar subquery
    # is checked per entry while the page walks the name index, and a permit is common, so it stops early.
    if permit in (DistributionPermit.Kind.PIRT, DistributionPermit.Kind.BPOM_MD):
        queryset = queryset.alias(held_permit=Subquery(held.filter(kind=permit).values("pk")[:1]))
        queryset = queryset.filter(held_permit__isnull=False)
    elif permit in ("any", "none"):
        queryset = queryset.alias(held_permit=Subquery(held.values("pk")[:1]))
        queryset = queryset.filter(held_permit__isnull=permit == "none")
    return queryset


def catalogue_entry(pk: int) -> ProductListing | None:
    return catalogue().filter(pk=pk).first()


def catalogue_regions() -> QuerySet[Region]:
    """Regencies that have at least one entry in the catalogue now (the region filter's choices)."""
    return Region.objects.filter(
        Exists(catalogue().filter(product__business__region=OuterRef("pk")).values("pk"))
    ).order_by("name")


# The filter's choices may lag this long: a regency with a new entry appears within a minute (its entries are live
# at once when filtered by code). Reading them costs an EXISTS per regency over the whole catalogue (25-80 ms at 1M).
REGION_CHOICES_SECONDS = 60


def catalogue_region_choices() -> list[dict[str, str]]:
    """catalogue_regions() as (code, name) pairs, kept REGION_CHOICES_SECONDS for the list page's filter."""

    def read() -> list[dict[str, str]]:
        return [{"code": r.code, "name": r.name} for r in catalogue_regions().only("code", "name")]

    return list(cache.get_or_set("catalogue:region-choices", read, REGION_CHOICES_SECONDS) or [])


def catalogue_entries_of_certificate(token: str) -> list[ProductListing]:
    """The catalogue pages of a certificate's products (for the verification page's links)."""
    return list(
        catalogue()
        .filter(product__applications__certificate__token=token)
        .select_related(None)
        .prefetch_related(None)
        .select_related("product")
        .only("pk", "product__name")
    )
