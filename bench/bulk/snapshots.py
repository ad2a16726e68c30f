"""The evidence snapshot of every submitted case at national scale (issue 34; see bench/bulk/evidence.py for the round's
other tables): the content `snapshot_take` freezes, built a chunk of cases at a time with each table read once, its
SHA-256 over the service's canonical JSON, inserted with COPY (never updated: the table's trigger refuses it), and
the case and its certificate pointed at it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import translation

from bench.bulk import analyze, copy_rows, next_id, reset_sequences
from core.masking import mask_middle

SNAPSHOT_CHUNK = 20_000
PERSON_DOCUMENTS = ("appointment_letter", "cv", "training_certificate")
LANGUAGES = ("id", "en")


def snapshots_write(*, today: date) -> int:
    """A snapshot for each submitted case without one, `SNAPSHOT_CHUNK` cases per transaction (a top-up of 5M cases
    can stop and resume: each chunk commits its snapshots and the cases' pointers together).

    Each chunk's ids are reserved by its position (the chunk's first case id minus the first pending one, from the
    first free id), so chunks could run in any order. They run in this process: running them in two forked
    processes hung the CI run once (a child blocked in its first query) and gained 0.42 vs 0.50 ms a snapshot at
    load 4 (RESULTS.md part E); it was taken out rather than debugged late."""
    from certification.models import Application, EvidenceSnapshot

    pending = Application.objects.filter(submitted_at__isnull=False, evidence__isnull=True)
    bounds = pending.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    if bounds["low"] is None:
        return 0
    base = next_id(EvidenceSnapshot) - bounds["low"]
    chunks = [(low, base + low, today) for low in range(bounds["low"], bounds["high"] + 1, SNAPSHOT_CHUNK)]
    written = sum(_snapshot_chunk(chunk) for chunk in chunks)
    reset_sequences(EvidenceSnapshot)
    analyze(EvidenceSnapshot)
    return written


_builders: dict[date, _ContentBuilder] = {}


def _snapshot_chunk(chunk: tuple[int, int, date]) -> int:
    """One chunk of cases (ids low .. low + SNAPSHOT_CHUNK - 1): their snapshots and pointers, in one transaction."""
    from certification.models import Application, EvidenceSnapshot

    low, first_id, today = chunk
    high = low + SNAPSHOT_CHUNK - 1
    builder = _builders.get(today)
    if builder is None:  # one per process, its classifications kept across chunks
        builder = _builders[today] = _ContentBuilder(today=today)
    pending = Application.objects.filter(submitted_at__isnull=False, evidence__isnull=True, pk__range=(low, high))
    with transaction.atomic():
        rows = list(builder.rows(pending, first_id=first_id))
        if not rows:
            return 0
        written = copy_rows(EvidenceSnapshot, SNAPSHOT_FIELDS, rows)
        _point_at_snapshots(low, high)
    return written


SNAPSHOT_FIELDS = [
    "id",
    "application_id",
    "number",
    "kind",
    "taken_at",
    "taken_by_id",
    "content",
    "content_hash",
    "previous_id",
    "changes",
]


def _point_at_snapshots(low: int, high: int) -> None:
    """The cases of the id range (and the certificates they issued) rest on their newest snapshot."""
    from certification.models import Application, Certificate, EvidenceSnapshot

    app, snap, cert = Application._meta.db_table, EvidenceSnapshot._meta.db_table, Certificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {app} AS a SET evidence_id = s.id FROM {snap} AS s "
            "WHERE s.application_id = a.id AND a.id BETWEEN %s AND %s AND a.evidence_id IS NULL",
            [low, high],
        )
        cursor.execute(
            f"UPDATE {cert} AS c SET evidence_id = a.evidence_id FROM {app} AS a "
            "WHERE c.application_id = a.id AND a.id BETWEEN %s AND %s AND c.evidence_id IS NULL",
            [low, high],
        )


class _ContentBuilder:
    """The content `certification.evidence.services.build_content` freezes, for a chunk of cases at once: each table
    read once per chunk (build_content reads some 8 queries per case), the classification of each distinct kind of
    ingredient computed once."""

    def __init__(self, *, today: date) -> None:
        self.today = today
        self.classifications: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.numbers: dict[tuple[Any, ...], str] = {}

    def rows(self, cases: Any, *, first_id: int) -> Iterator[tuple[Any, ...]]:
        from certification.evidence.services import SCHEMA, canonical

        apps = list(
            cases.order_by("pk").values_list(
                "pk",
                "pathway",
                "lph__name",
                "lph_name",
                "pledge_version",
                "pledge_signed_at",
                "sihalal_registration",
                "developed_certificate_id",
                "business_id",
                "submitted_at",
                "created_by_id",
            )
        )
        if not apps:
            return
        businesses = {app[8] for app in apps}
        dossier = self._dossier(businesses, [app[0] for app in apps])
        # Serialised once per business and per product, then spliced: the canonical JSON of a dict is its sorted keys
        # with each value's own canonical JSON, so the text (and the hash) is byte for byte what `canonical` writes of
        # the whole content (tested on every seeded snapshot), while a business's five cases share its dossier's text.
        shared: dict[int, str] = {}
        products: dict[int, str] = {}
        for offset, (pk, pathway, lph, lph_name, pledge, signed, sihalal, developed, bid, at, owner) in enumerate(apps):
            case = {
                "id": pk,
                "pathway": pathway,
                "lph": str(lph or lph_name or ""),
                "pledge": {"version": pledge, "signed_at": _day(signed)} if signed else None,
                "sihalal_registration": sihalal,
                "developed_certificate": developed,
            }
            business = shared.get(bid)
            if business is None:
                business = shared[bid] = (
                    f'"business":{canonical(dossier["business"][bid])},"documents":[],'
                    f'"facilities":{canonical(dossier["facilities"].get(bid, []))},'
                    f'"figures":{canonical(dossier["figures"].get(bid))},'
                    f'"people":{canonical(dossier["people"].get(bid, []))}'
                )
            texts = []
            for pid in dossier["links"].get(pk, []):
                text = products.get(pid)
                if text is None:
                    text = products[pid] = canonical(dossier["products"][pid])
                texts.append(text)
            text = (
                f'{{"application":{canonical(case)},{business},"products":[{",".join(texts)}],'
                f'"schema":{canonical(SCHEMA)}}}'
            )
            digest = hashlib.sha256(text.encode()).hexdigest()
            yield (first_id + offset, pk, 1, "submission", at, owner, text, digest, None, [])

    def _dossier(self, businesses: set[int], application_ids: list[int]) -> dict[str, Any]:
        from applicants.models import AnnualFigures, Business, DistributionPermit, Ingredient, Person
        from applicants.models.dossier import Facility, ProcessStep
        from certification.evidence.services import ingredient_key, step_key
        from certification.models import Application

        out: dict[str, Any] = {
            "business": {},
            "figures": {},
            "people": defaultdict(list),
            "facilities": defaultdict(list),
        }
        for b in Business.objects.filter(pk__in=businesses).select_related("region"):
            out["business"][b.pk] = {
                "id": b.pk,
                "name": b.name,
                "nib": b.nib,
                "legal_form": b.legal_form,
                "address": b.address,
                "region": {"code": b.region.code, "name": b.region.name} if b.region_id else None,
                "kbli": b.kbli,
                "sector": b.sector,
                "production_started": _day(b.production_started),
                "outlets": b.outlets,
                "production_facilities": b.production_facilities,
                "workforce": b.workforce,
                "phone": b.phone,
                "halal_supervisor": b.halal_supervisor,
                "separate_halal_facility": b.separate_halal_facility,
            }
        figures = AnnualFigures.objects.filter(business_id__in=businesses).order_by("business_id", "year")
        for bid, year, sales, expenses, workforce in figures.values_list(
            "business_id", "year", "annual_sales", "operating_expenses", "workforce"
        ):
            out["figures"][bid] = {  # the newest year wins (ordered by year)
                "year": year,
                "annual_sales": sales,
                "operating_expenses": expenses,
                "workforce": workforce,
            }
        people = Person.objects.filter(business_id__in=businesses).order_by("business_id", "role")
        person_fields = ["business_id", "role", "name", "position", "phone", "nik", "religion", "owner_acts"]
        person_fields += [f"{key}_id" for key in PERSON_DOCUMENTS]
        for bid, role, name, position, phone, nik, religion, owner_acts, *documents in people.values_list(
            *person_fields
        ):
            out["people"][bid].append(
                {
                    "role": role,
                    "name": name,
                    "position": position,
                    "phone": phone,
                    "nik": mask_middle(nik, keep_start=4, keep_end=4),
                    "religion": religion,
                    "owner_acts": owner_acts,
                    "documents": {key: pk for key, pk in zip(PERSON_DOCUMENTS, documents, strict=True) if pk},
                }
            )
        facilities = Facility.objects.filter(business_id__in=businesses).order_by("kind", "id")
        for pk, bid, kind, name, address, code, region_name in facilities.values_list(
            "pk", "business_id", "kind", "name", "address", "region__code", "region__name"
        ):
            region = {"code": code, "name": region_name} if code else None
            out["facilities"][bid].append({"id": pk, "kind": kind, "name": name, "address": address, "region": region})
        links: dict[int, list[int]] = defaultdict(list)
        through = Application.products.through.objects.filter(application_id__in=application_ids)
        products: dict[int, dict[str, Any]] = {}
        from applicants.models import Product

        linked = through.values_list("application_id", "product_id")
        product_ids = set()
        pairs = list(linked)
        for _app, pid in pairs:
            product_ids.add(pid)
        for p in Product.objects.filter(pk__in=product_ids):
            products[p.pk] = {
                "id": p.pk,
                "name": p.name,
                "brand": p.brand,
                "category": p.category,
                "description": p.description,
                "process": p.process,
                "preservation_methods": p.preservation_methods,
                "packaging": p.packaging,
                "kbli": p.kbli,
                "contains_slaughtered": p.contains_slaughtered,
                "slaughterhouse_certificate": p.slaughterhouse_certificate,
                "irradiated": p.irradiated,
                "ozonated": p.ozonated,
                "genetically_engineered": p.genetically_engineered,
                "ingredients": [],
                "steps": [],
                "permits": [],
            }
        # The order build_content uses: products by name then id, ingredients by id, steps by order, permits by kind.
        for app_id, pid in sorted(pairs, key=lambda pair: (pair[0], products[pair[1]]["name"], pair[1])):
            links[app_id].append(pid)
        ingredients = Ingredient.objects.filter(product_id__in=product_ids).select_related("positive_list_entry")
        for i in ingredients.order_by("id"):
            entry = i.positive_list_entry
            certificate = None
            if i.halal_certificate_number:
                certificate = {
                    "number": i.halal_certificate_number,
                    "issuer": i.certificate_issuer,
                    "body": i.certificate_body,
                    "valid_until": _day(i.certificate_valid_until),
                }
            products[i.product_id]["ingredients"].append(
                {
                    "key": ingredient_key(i.product_id, i.name),
                    "name": i.name,
                    "kind": i.kind,
                    "producer": i.producer,
                    "brand": i.brand,
                    "supplier": i.supplier,
                    "certificate": certificate,
                    "positive_list": {"id": entry.pk, "name": entry.name, "group": entry.group_name} if entry else None,
                    "exempt_claim": i.exempt_claim,
                    "classification": self._classification(i),
                }
            )
        step_ingredients: dict[int, list[str]] = defaultdict(list)
        used = ProcessStep.ingredients.through.objects.filter(processstep__product_id__in=product_ids)
        for step_id, name in used.order_by("id").values_list("processstep_id", "ingredient__name"):
            step_ingredients[step_id].append(name)
        steps = ProcessStep.objects.filter(product_id__in=product_ids).order_by("order")
        for step_id, product_id, order, stage, description in steps.values_list(
            "pk", "product_id", "order", "stage", "description"
        ):
            products[product_id]["steps"].append(
                {
                    "key": step_key(product_id, order),
                    "order": order,
                    "stage": stage,
                    "description": description,
                    "ingredients": step_ingredients.get(step_id, []),
                }
            )
        for permit in DistributionPermit.objects.filter(product_id__in=product_ids).order_by("kind"):
            products[permit.product_id]["permits"].append(
                {
                    "kind": permit.kind,
                    "number": permit.number,
                    "issuer": permit.issuer,
                    "issued_on": _day(permit.issued_on),
                    "expires_on": _day(permit.expires_on),
                    "document_name": permit.document_name if permit.document else "",
                    "document_sha256": "",  # bulk permits carry no scan
                    "document_file": permit.document.name if permit.document else "",
                }
            )
        out["products"] = products
        out["links"] = links
        return out

    def _classification(self, ingredient: Any) -> dict[str, Any]:
        """What the platform said of the ingredient (both languages), once per distinct set of the facts it reads."""
        number = ingredient.halal_certificate_number
        facts = (
            ingredient.name,
            ingredient.positive_list_entry_id,
            re.sub(r"\d", "9", number),  # numbers of one shape get the same verdict; the texts name the number
            ingredient.certificate_issuer,
            ingredient.certificate_body,
            ingredient.certificate_valid_until,
            ingredient.exempt_claim,
        )
        known = self.classifications.get(facts)
        if known is None:
            texts: dict[str, dict[str, str]] = {"reason": {}, "evidence": {}}
            verdict = ingredient.classification(self.today)
            for language in LANGUAGES:
                with translation.override(language):
                    said = ingredient.classification(self.today)
                texts["reason"][language] = str(said.reason)
                texts["evidence"][language] = str(said.evidence)
            known = {"doubtful": verdict.doubtful, "basis": verdict.basis, **texts}
            self.classifications[facts] = known
            self.numbers[facts] = number
        said_of = self.numbers[facts]
        if not number or number == said_of:
            return known
        return {
            **known,
            "reason": {k: v.replace(said_of, number) for k, v in known["reason"].items()},
            "evidence": {k: v.replace(said_of, number) for k, v in known["evidence"].items()},
        }


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
