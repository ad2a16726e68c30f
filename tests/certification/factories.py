"""Factories for certification tests: complete, Sehati-eligible businesses and applications driven by the service."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

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
from certification import services
from certification.models import Application, Lph, SehatiQuota
from certification.verification import services as verification_services
from certification.workflow import table as wf
from core.calendar import days as cal

_nib = itertools.count(1)
_official = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def region(code: str = "1871", name: str = "Kota Bandar Lampung") -> Region:
    province, _ = Region.objects.get_or_create(code=code[:2], defaults={"name": "Lampung", "kind": "province"})
    regency, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "kind": "city", "parent": province})
    return regency


def business(owner: Any, *, region_code: str = "1871", sales: int = 120_000_000, **fields: Any) -> Business:
    values: dict[str, Any] = {
        "owner": owner,
        "name": f"Usaha {owner.full_name or owner.email}",
        "nib": f"{next(_nib):013d}",
        "address": "Jl. Teuku Umar 1",
        "region": region(region_code),
        "kbli": "10794",
        "sector": Business.Sector.SNACKS,
        "production_started": date(2020, 1, 1),
        "outlets": 1,
        "production_facilities": 1,
        "workforce": 3,
        "separate_halal_facility": True,
    }
    values.update(fields)
    supervised = values.pop("supervised", True)
    b = Business.objects.create(**values)
    if supervised:  # UU 33/2014 Ps 24: the owner of a micro or small business acts as its halal supervisor
        Person.objects.create(
            business=b,
            role=Person.Role.SUPERVISOR,
            name=owner.full_name or owner.email,
            nik="1871014506850002",
            religion=Person.Religion.ISLAM,
            owner_acts=True,
        )
    AnnualFigures.objects.create(
        business=b, year=timezone.localdate().year - 1, annual_sales=sales, operating_expenses=sales // 2, workforce=3
    )
    return b


# Active positive-list entries (seeded by migration) the factories' ingredients are matched to.
POSITIVE = ("air", "beras", "jagung", "kelapa", "teh", "kopi", "madu", "tempe")


def positive(name: str = "air") -> PositiveListEntry:
    return PositiveListEntry.objects.get(name=name)


def product(b: Business, *, name: str = "Keripik pisang", ingredients: int = 2, **fields: Any) -> Product:
    """A product whose ingredients the platform classifies "not doubtful" (each matched to a positive-list entry)."""
    p = Product.objects.create(business=b, name=name, **fields)
    for i in range(ingredients):
        entry = positive(POSITIVE[i % len(POSITIVE)])
        Ingredient.objects.create(product=p, name=f"Bahan {i}", positive_list_entry=entry)
    return p


def documents(b: Business, kinds: tuple[str, ...] | None = None) -> list[Document]:
    kinds = kinds or ("nib", "product_photo", "process_flow", "halal_manual")
    return [
        Document.objects.create(
            business=b,
            kind=kind,
            file=pdf(f"{kind}.pdf"),
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=b.owner,
        )
        for kind in kinds
    ]


def national_quota(places: int = 100, year: int | None = None) -> SehatiQuota:
    quota, _ = SehatiQuota.objects.get_or_create(
        year=year or timezone.localdate().year, region=None, defaults={"places": places}
    )
    return quota


def lph(name: str = "LPH Nasional Uji", **fields: Any) -> Lph:
    """An LPH of the directory serving every province (unless told otherwise)."""
    values = {"national": True, "verified": True, **fields}
    found, _ = Lph.objects.get_or_create(name=name, defaults=values)
    return found


def draft(owner: Any, pathway: str, b: Business | None = None, *, pledge: bool = True, **create: Any) -> Application:
    b = b or business(owner)
    p = product(b)
    docs = documents(b)
    if pathway == wf.REGULAR:
        create.setdefault("lph_id", lph().pk)
    app = services.application_create(
        actor=owner,
        business_id=b.pk,
        pathway=pathway,
        product_ids=[p.pk],
        document_ids=[d.pk for d in docs],
        **create,
    )
    if pledge and pathway == "self_declare":
        services.pledge_sign(application_id=app.pk, actor=owner)
    return app


@dataclass
class Cast:
    owner: Any
    reviewer: Any
    pph: Any


def official_number(province_code: str = "18") -> str:
    """A certificate number as BPJPH prints it (shared/domain/certificate.json), unique within a test run."""
    return f"ID{province_code}11{next(_official):09d}{cal.today():%m%y}"


def payload_for(action: str, cast: Cast) -> dict[str, Any]:
    today = timezone.localdate()
    if action == "submit":  # the default (CERTIFICATE_ISSUER=bpjph): the case is registered in SIHALAL too
        return {"sihalal_registration": f"SH{today:%Y}-1-{next(_official):06d}"}
    if action == "issue":  # the default: the reviewer records BPJPH's certificate (number, date, PDF)
        return {"official_number": official_number(), "official_date": cal.today(), "official_pdf": pdf("bpjph.pdf")}
    return {
        "assign_pph": {"pph": cast.pph.pk},
        "pph_validate": {"visit_date": today, "report": "Visited; process matches the pledge."},
        "record_payment": {"payment_proof": pdf()},
        "record_audit": {"audit_report": pdf("audit.pdf")},
        "extend_audit": {"reason": "The LPH needs a laboratory test.", "extra_days": 5},
        "declare_halal": {"fatwa_number": "KF-2026/001", "fatwa_date": today, "fatwa_body": wf.KOMITE_FATWA},
        "return": {"reason": "The process flow document is unreadable."},
        "reject": {  # the fatwa fields count only for a rejection at the fatwa stage (a "not halal" decision)
            "reason": "A pork-derived ingredient was found.",
            "fatwa_number": "KF-2026/099",
            "fatwa_date": today,
            "fatwa_body": wf.KOMITE_FATWA,
        },
        "file_appeal": {"reason": "The ingredient was plant-based gelatine; its certificate is attached."},
        "uphold_appeal": {"reason": "The supplier's halal certificate covers the ingredient."},
        "dismiss_appeal": {"reason": "The certificate does not cover this ingredient."},
        "file_banding": {"reason": "The objection overlooked the supplier's certificate."},
        "uphold_banding": {"reason": "The supplier's certificate covers the ingredient."},
        "dismiss_banding": {"reason": "The objection was rightly dismissed."},
        "cancel": {"reason": "The owner did not answer within the office's window."},
    }.get(action, {})


ROUTES = wf.ROUTES

ROLE_OF = {
    "submit": "owner",
    "resubmit": "owner",
    "cancel": "owner",
    "file_appeal": "owner",
    "file_banding": "owner",
    "pph_validate": "pph",
}


def actor_for(action: str, state: str, cast: Cast) -> Any:
    if action == "return" and state == "pph_verification":
        return cast.pph
    return getattr(cast, ROLE_OF.get(action, "reviewer"))


def verify_all(app: Application, pph: Any, *, verdict: str = "conforms", **fields: Any) -> Any:
    """The assigned assistant judges every checklist line of the case (through the service), records the visit
    date and a recommendation: what `pph_validate` needs."""
    rows = verification_services.checklist(app)
    note = "" if verdict == "conforms" else "Sertifikat halal pemasok belum ada."
    values: dict[str, Any] = {
        "visit_date": cal.today(),
        "recommendation": "Proses sesuai ikrar; layak dilanjutkan.",
        **fields,
    }
    items = {row.key: {"verdict": verdict, "note": note} for row in rows}
    if verdict == "conforms":  # an ingredient the platform found doubtful conforms only once resolved on site
        for row in rows:
            if row.platform_doubtful:
                items[row.key] = {"verdict": verdict, "evidence": "exempt_confirmed", "note": "Dilihat di dapur."}
    return verification_services.verification_save(application_id=app.pk, actor=pph, items=items, **values)


def drive(app: Application, to_state: str, cast: Cast) -> Application:
    """Move an application from draft to a state through the transition service (the assistant fills a complete
    checklist before `pph_validate`)."""
    for action in ROUTES[app.pathway][to_state]:
        app.refresh_from_db()
        if action == "pph_validate":
            verify_all(app, cast.pph)
        app = services.application_transition(
            application_id=app.pk,
            action=action,
            actor=actor_for(action, app.state, cast),
            **payload_for(action, cast),
        )
    app.refresh_from_db()
    assert app.state == to_state
    return app


def needs_fees(pathway: str, state: str) -> bool:
    return pathway == "regular" and "appoint_lph" in ROUTES["regular"].get(state, [])


def issued(cast: Cast, *, b: Business | None = None, products: int = 1, **create: Any) -> Application:
    """A self-declare application driven to `issued` (its certificate numbered, its PDF rendered eagerly)."""
    b = b or business(cast.owner)
    items = [product(b, name=f"Keripik rasa {i + 1:02d}") for i in range(products)]
    docs = documents(b)
    app = services.application_create(
        actor=cast.owner,
        business_id=b.pk,
        pathway="self_declare",
        product_ids=[p.pk for p in items],
        document_ids=[d.pk for d in docs],
        **create,
    )
    services.pledge_sign(application_id=app.pk, actor=cast.owner)
    app = drive(app, "issuance", cast)
    # Run the on-commit hooks (the PDF task, eager in tests) as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_transition(
            application_id=app.pk, action="issue", actor=cast.reviewer, **payload_for("issue", cast)
        )
    app.refresh_from_db()
    return app
