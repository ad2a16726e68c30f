"""Demo data for market access (issue 18): catalogue entries with photos and PIRT permits for certified products,
and BPOM facilitation cases. Here because it joins certification (which products are certified) and training
(facilitation); idempotent like every app's demo."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from applicants.listings.services import listing_save
from applicants.models.listings import ProductListing
from applicants.models.permits import DistributionPermit
from applicants.permits.services import permit_create
from certification.catalogue import selectors as market_selectors
from training.facilitation import services as facilitation_services
from training.models import Program
from training.models.facilitation import FacilitationCase

CATALOGUE_SIZE = 8
COLOURS = [(176, 120, 40), (120, 60, 30), (200, 160, 60), (90, 130, 60), (160, 50, 40), (60, 90, 140)]


def _photo(index: int, name: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), COLOURS[index % len(COLOURS)])
    ImageDraw.Draw(image).text((40, 40), name, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("produk.png", buffer.getvalue())


def _catalogue() -> int:
    products = list(
        market_selectors.certified_products().select_related("business__owner").order_by("id")[:CATALOGUE_SIZE]
    )
    created = 0
    for index, product in enumerate(products):
        if ProductListing.objects.filter(product=product).exists():
            continue
        owner = product.business.owner
        if not product.permits.exists():
            number = f"2061871{index:02d}{product.pk % 1000000:06d}"[:15].ljust(15, "0")
            fields = {"kind": DistributionPermit.Kind.PIRT, "number": number, "issuer": "Dinas Kesehatan"}
            permit_create(actor=owner, product=product, fields=fields)
        fields = {
            "published": True,
            "description": f"{product.name} buatan {product.business.name}, tanpa pengawet.",
            "price_min": 15_000 + 5_000 * index,
            "price_max": 25_000 + 5_000 * index,
            "whatsapp": "081234567890",
            "links": ["https://shopee.co.id/"],
        }
        listing_save(actor=owner, product=product, fields=fields, photo=_photo(index, product.name))
        created += 1
    return created


def _facilitation(users: dict[str, Any]) -> int:
    officer = users["officer@demo.test"]
    if FacilitationCase.objects.exists():
        return 0
    programs = Program.objects.filter(topic=Program.Topic.BPOM_REGISTRATION, enrollments__isnull=False).distinct()
    opened = 0
    for program in programs[:1]:
        for enrollment in program.enrollments.select_related("business").order_by("-attended", "id")[:2]:
            product = enrollment.business.products.order_by("id").first()
            if product is None:  # a case is about one product
                continue
            case = facilitation_services.facilitation_open(
                actor=officer,
                business=enrollment.business,
                product=product,
                program=program,
                note="Setelah pelatihan BPOM",
            )
            opened += 1
            if opened == 1:
                for action in ("documents_complete", "submit"):
                    facilitation_services.facilitation_transition(case_id=case.pk, action=action, actor=officer)
                facilitation_services.facilitation_transition(
                    case_id=case.pk, action="register", actor=officer, md_number="MD224518710001"
                )
    return opened


def load(*, users: dict[str, Any]) -> str:
    listed = _catalogue()
    cases = _facilitation(users)
    return f"{listed} catalogue entries, {cases} BPOM facilitation cases"
