"""The registry's models, one module per subdomain; Django finds them all here, and other apps import them from here.

- registry: regions, businesses, yearly figures, products, ingredients, documents, staff jurisdiction
- dossier: people, facilities, process steps, and the reference lists (KBLI 2020, the positive list)
- permits: distribution permits per product (SPP-IRT / PIRT, BPOM MD) and their reminder log
- listings: a product's public catalogue entry and its photos
- imports: background imports of the office's business lists
"""

from __future__ import annotations

from applicants.models.dossier import (
    Facility,
    Kbli,
    Person,
    PositiveListEntry,
    ProcessStep,
)
from applicants.models.imports import (
    ImportJob,
)
from applicants.models.listings import (
    ListingPhoto,
    ProductListing,
    listing_photo_upload_to,
    more_photo_upload_to,
)
from applicants.models.permits import (
    MD_PATTERN,
    PIRT_PATTERN,
    REMINDER_DAYS,
    DistributionPermit,
    PermitReminder,
    permit_document_upload_to,
)
from applicants.models.registry import (
    BUSINESS_FIELDS,
    AnnualFigures,
    Business,
    Document,
    Ingredient,
    Product,
    Region,
    StaffRegion,
    document_upload_to,
)

__all__ = [
    "AnnualFigures",
    "BUSINESS_FIELDS",
    "Business",
    "DistributionPermit",
    "Document",
    "Facility",
    "ImportJob",
    "Ingredient",
    "Kbli",
    "ListingPhoto",
    "MD_PATTERN",
    "PIRT_PATTERN",
    "PermitReminder",
    "Person",
    "PositiveListEntry",
    "ProcessStep",
    "Product",
    "ProductListing",
    "REMINDER_DAYS",
    "Region",
    "StaffRegion",
    "document_upload_to",
    "listing_photo_upload_to",
    "more_photo_upload_to",
    "permit_document_upload_to",
]
