"""Public reads of certificates (no login): by number, by the QR code's token, the registry search."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet

from certification.models import (
    Certificate,
    CertificateRevision,
)
from certification.models.certificates import issuer_display


def certificate_public(*, number: str) -> dict[str, Any] | None:
    """The public facts of one certificate (one indexed query), or None."""
    row = (
        Certificate.objects.filter(number=number)
        .values(
            "number",
            "status",
            "business_name",
            "products",
            "issued_at",
            "revoked_at",
            "revocation_reason",
            "issuer",
            "issuer_name",
        )
        .first()
    )
    if row is None:
        return None
    return {
        "number": row["number"],
        "status": row["status"],
        "issuer": row["issuer"],
        "issuer_name": issuer_display(row["issuer"], row["issuer_name"]),
        "recorded_from_bpjph": row["issuer"] == Certificate.Issuer.BPJPH,
        "business_name": row["business_name"],
        "products": [p["name"] for p in row["products"]],
        "issued_at": row["issued_at"],
        "revoked_at": row["revoked_at"],
        "reason": row["revocation_reason"] or None,
    }


def certificate_by_token(*, token: str) -> dict[str, Any] | None:
    """The facts the verification page shows (one indexed query), as plain values that can be cached."""
    row = cast(
        dict[str, Any] | None,
        Certificate.objects.filter(token=token)
        .values(
            "number",
            "token",
            "status",
            "business_name",
            "business_address",
            "nib",
            "region_name",
            "products",
            "issued_at",
            "revoked_at",
            "revocation_reason",
            "pathway",
            "issuer",
            "issuer_name",
            "revision",
            "revised_at",
            "fatwa_number",
            "fatwa_date",
            "superseded_by__number",
            "superseded_by__token",
        )
        .first(),
    )
    if row is None:
        return None
    row["issuer_name"] = issuer_display(row["issuer"], row["issuer_name"])
    row["successor_number"] = row.pop("superseded_by__number")
    row["successor_token"] = row.pop("superseded_by__token")
    row["history"] = []
    if row["revision"] > 1:  # which products came when (a second query only for a revised certificate)
        row["history"] = list(
            CertificateRevision.objects.filter(certificate__token=token)
            .order_by("revision")
            .values("revision", "created_at", "added")
        )
    return row


def certificates_public_search(*, q: str = "", region: str = "") -> QuerySet[Certificate]:
    """The public registry: certified businesses and products by name and region (valid ones first)."""
    queryset = Certificate.objects.only(
        "number", "token", "business_name", "region_name", "products", "issued_at", "status"
    ).order_by("-issued_at", "-id")
    q = q.strip()
    if q:
        queryset = queryset.filter(Q(business_name__icontains=q) | Q(products_text__icontains=q))
    region = region.strip()
    if region:
        queryset = queryset.filter(Q(region_name__icontains=region) | Q(region_code__startswith=region))
    return queryset


def certificate_token_of(*, number: str) -> str | None:
    return Certificate.objects.filter(number=number).values_list("token", flat=True).first()
