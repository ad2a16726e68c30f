"""Reads that join products with their certificates: which products are certified (live), which lack a permit."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from applicants.models import Product
from applicants.permit_models import DistributionPermit
from certification.models import Certificate


def valid_certificates_of_product() -> QuerySet[Certificate]:
    """Valid certificates naming the outer product (for Exists / Subquery)."""
    return Certificate.objects.filter(application__products=OuterRef("pk"), status=Certificate.Status.VALID)


def certified_products() -> QuerySet[Product]:
    """Products covered by a valid certificate right now (a revoked or superseded one does not count)."""
    return Product.objects.filter(Exists(valid_certificates_of_product()))


def _real_permit() -> QuerySet[DistributionPermit]:
    return DistributionPermit.objects.filter(product=OuterRef("pk")).exclude(kind=DistributionPermit.Kind.NONE)


def certified_products_without_permit(*, region_code: str = "") -> QuerySet[Product]:
    queryset = certified_products().exclude(Exists(_real_permit()))
    if region_code:
        queryset = queryset.filter(business__region__code=region_code)
    return queryset.select_related("business__region").order_by("business__region__name", "business__name", "name")


def permit_gaps_by_regency() -> list[dict[str, Any]]:
    """Per regency: certified products, how many hold a permit, how many lack one (one grouped query)."""
    rows = (
        certified_products()
        .annotate(has_permit=Exists(_real_permit()))
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
