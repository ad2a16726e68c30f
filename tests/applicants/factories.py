from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from applicants.models import (
    AnnualFigures,
    Business,
    Document,
    Ingredient,
    Person,
    PositiveListEntry,
    Product,
    Region,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def region(code: str = "1871") -> Region:
    return Region.objects.get(code=code)


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Keripik Pisang {n}")
    nib = factory.Sequence(lambda n: f"{9100000000000 + n}")
    address = "Jl. Kartini No. 1, Bandar Lampung"
    region = factory.LazyFunction(region)
    kbli = "10794"
    sector = Business.Sector.SNACKS
    production_started = dt.date(2020, 1, 1)
    workforce = 3


def supervisor(business: Business) -> Person:
    """The owner acts as the halal supervisor (UU 33/2014 Ps 24; a micro or small business's owner may)."""
    return Person.objects.create(
        business=business,
        role=Person.Role.SUPERVISOR,
        name=business.owner.full_name or "Pemilik",
        nik="1871014506850002",
        religion=Person.Religion.ISLAM,
        owner_acts=True,
    )


class FiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualFigures

    business = factory.SubFactory(BusinessFactory)
    year = 2024
    annual_sales = 300_000_000
    operating_expenses = 200_000_000
    workforce = 3


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Keripik rasa {n}")


class IngredientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ingredient

    product = factory.SubFactory(ProductFactory)
    name = "Pisang kepok"
    # The platform's match on the positive list (KMA 1360/2021): fresh fruit.
    positive_list_entry = factory.LazyFunction(lambda: PositiveListEntry.objects.get(name="buah segar"))


def document(business: Business, *, content: bytes = PDF, name: str = "nib.pdf", **extra: Any) -> Document:
    from django.core.files.base import ContentFile

    doc = Document(
        business=business,
        kind=extra.pop("kind", Document.Kind.NIB),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=business.owner,
        **extra,
    )
    doc.file.save(name, ContentFile(content), save=False)
    doc.save()
    return doc


def business_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "name": "Sambal Mak Inah",
        "nib": "1234567890123",
        "legal_form": Business.LegalForm.INDIVIDUAL,
        "address": "Jl. Pagar Alam 5",
        "region": region(),
        "kbli": "10771",
        "sector": Business.Sector.SPICES,
        "production_started": dt.date(2021, 5, 1),
        "workforce": 2,
    }
    fields.update(overrides)
    return fields


def case_for(business: Business, *, pph: Any = None) -> Any:
    """A bare case of this business (assigned to `pph` when given): an assistant reads only such businesses."""
    from certification.models import Application

    return Application.objects.create(
        business=business, pathway="self_declare", assigned_pph=pph, created_by=business.owner
    )
