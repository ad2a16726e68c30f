"""The evidence snapshot of every submitted case at national scale (issue 34; see bench/bulk/evidence.py for the round's
other tables): the content `snapshot_take` freezes, built a chunk of cases at a time with each table read once, its
SHA-256 over the service's canonical JSON, inserted with COPY (never updated: the table's trigger refuses it), and
the case and its certificate pointed at it.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import translation

from bench.bulk import analyze, copy_rows, next_id, reset_sequences
from core.masking import mask_middle

SNAPSHOT_CHUNK = 20_000
PERSON_DOCUMENTS = ("appointment_letter", "cv", "training_certificate")
LANGUAGES = ("id", "en")


def snapshots_write(*, today: date, threads: int | None = None) -> int:
    """A snapshot for each submitted case without one, `SNAPSHOT_CHUNK` cases per transaction (a top-up of 5M cases
    can stop and resume: each chunk commits its snapshots and the cases' pointers together).

    Each chunk's ids are reserved by its position (the chunk's first case id minus the first pending one, from the
    first free id), so chunks can run in any order: on PostgreSQL, outside a transaction, `threads` threads of this
    process (default `BENCH_SEED_THREADS` or 2), each on its own connection, so one builds a chunk's content while
    PostgreSQL parses and stores another's (threads, not forked processes: a forked child once hung a CI run).
    As a superuser the chunks load with `session_replication_role = replica`, as `pg_restore --disable-triggers`
    does: the foreign keys' per-row checks (each a lookup that also locks the referenced case or user) are
    skipped, and `_check_references` then checks every reference written in one set-based query per key."""
    from certification.models import Application, EvidenceSnapshot

    pending = Application.objects.filter(submitted_at__isnull=False, evidence__isnull=True)
    bounds = pending.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    if bounds["low"] is None:
        return 0
    base = next_id(EvidenceSnapshot) - bounds["low"]
    chunks = [(low, base + low, today) for low in range(bounds["low"], bounds["high"] + 1, SNAPSHOT_CHUNK)]
    if threads is None:
        threads = int(os.environ.get("BENCH_SEED_THREADS", "2"))
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block and threads > 1
    unchecked = parallel and _superuser()
    if parallel:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            written = sum(pool.map(lambda chunk: _in_thread(chunk, unchecked=unchecked), chunks))
    else:  # SQLite, or inside a test's transaction (another connection would not see its rows)
        written = sum(_snapshot_chunk(chunk) for chunk in chunks)
    if unchecked:
        _check_references(first_id=base + bounds["low"])
    reset_sequences(EvidenceSnapshot)
    analyze(EvidenceSnapshot)
    return written


_local = threading.local()


def _in_thread(chunk: tuple[int, int, date], *, unchecked: bool) -> int:
    try:
        return _snapshot_chunk(chunk, unchecked=unchecked)
    finally:
        connection.close()  # this thread's connection (Django keeps one per thread)


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def _snapshot_chunk(chunk: tuple[int, int, date], *, unchecked: bool = False) -> int:
    """One chunk of cases (ids low .. low + SNAPSHOT_CHUNK - 1): their snapshots and pointers, in one transaction."""
    from certification.models import Application, EvidenceSnapshot

    low, first_id, today = chunk
    high = low + SNAPSHOT_CHUNK - 1
    builders = getattr(_local, "builders", None)
    if builders is None:
        builders = _local.builders = {}
    builder = builders.get(today)
    if builder is None:  # one per thread, its classifications kept across chunks
        builder = builders[today] = _ContentBuilder(today=today)
    pending = Application.objects.filter(submitted_at__isnull=False, evidence__isnull=True, pk__range=(low, high))
    with transaction.atomic():
        if unchecked:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        rows = list(builder.rows(pending, first_id=first_id))
        if not rows:
            return 0
        written = copy_rows(EvidenceSnapshot, SNAPSHOT_FIELDS, rows)
        _point_at_snapshots(low, high)
    return written


def _check_references(*, first_id: int) -> None:
    """Every reference the unchecked load wrote resolves (what the skipped per-row checks would have refused):
    the new snapshots' case, taker and previous snapshot, and the cases' and certificates' pointers."""
    from django.contrib.auth import get_user_model

    from certification.models import Application, Certificate, EvidenceSnapshot

    snap = EvidenceSnapshot._meta.db_table
    checks = [
        (snap, "application_id", Application._meta.db_table, f"s.id >= {int(first_id)}"),
        (snap, "taken_by_id", get_user_model()._meta.db_table, f"s.id >= {int(first_id)}"),
        (snap, "previous_id", snap, f"s.id >= {int(first_id)}"),
        (Application._meta.db_table, "evidence_id", snap, f"s.evidence_id >= {int(first_id)}"),
        (Certificate._meta.db_table, "evidence_id", snap, f"s.evidence_id >= {int(first_id)}"),
    ]
    with connection.cursor() as cursor:
        for table, column, target, written in checks:
            cursor.execute(
                f"SELECT count(*) FROM {table} AS s WHERE {written} AND s.{column} IS NOT NULL "  # noqa: S608
                f"AND NOT EXISTS (SELECT 1 FROM {target} AS t WHERE t.id = s.{column})"
            )
            dangling = cursor.fetchone()[0]
            if dangling:
                raise RuntimeError(f"{dangling} rows of {table}.{column} point at no row of {target}")


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
        self.entries: dict[int, Any] = {}

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
        dossier = self._dossier(cases)
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

    def _dossier(self, cases: Any) -> dict[str, Any]:
        """The chunk's dossier, read as plain rows (`values_list`: no model instances) with the products, their
        ingredients, steps and permits selected by a subquery over the chunk's links (no id lists sent back)."""
        from applicants.models import AnnualFigures, Business, DistributionPermit, Ingredient, Person, Product
        from applicants.models.dossier import Facility, ProcessStep
        from certification.evidence.changes import PRODUCT_FIELDS
        from certification.evidence.services import ingredient_key, step_key
        from certification.models import Application

        out: dict[str, Any] = {
            "business": {},
            "figures": {},
            "people": defaultdict(list),
            "facilities": defaultdict(list),
        }
        through = Application.products.through.objects.filter(application_id__in=cases.values("pk"))
        owning = cases.values("business_id")
        business_fields = [
            "pk",
            "name",
            "nib",
            "legal_form",
            "address",
            "region__code",
            "region__name",
            "kbli",
            "sector",
            "production_started",
            "outlets",
            "production_facilities",
            "workforce",
            "phone",
            "halal_supervisor",
            "separate_halal_facility",
        ]
        for row in Business.objects.filter(pk__in=owning).values_list(*business_fields):
            b = dict(zip(business_fields, row, strict=True))
            code, region_name = b.pop("region__code"), b.pop("region__name")
            b["id"] = b.pop("pk")
            b["region"] = {"code": code, "name": region_name} if code else None
            b["production_started"] = _day(b["production_started"])
            out["business"][b["id"]] = b
        figures = AnnualFigures.objects.filter(business_id__in=owning).order_by("business_id", "year")
        for bid, year, sales, expenses, workforce in figures.values_list(
            "business_id", "year", "annual_sales", "operating_expenses", "workforce"
        ):
            out["figures"][bid] = {  # the newest year wins (ordered by year)
                "year": year,
                "annual_sales": sales,
                "operating_expenses": expenses,
                "workforce": workforce,
            }
        people = Person.objects.filter(business_id__in=owning).order_by("business_id", "role")
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
        facilities = Facility.objects.filter(business_id__in=owning).order_by("kind", "id")
        for pk, bid, kind, name, address, code, region_name in facilities.values_list(
            "pk", "business_id", "kind", "name", "address", "region__code", "region__name"
        ):
            region = {"code": code, "name": region_name} if code else None
            out["facilities"][bid].append({"id": pk, "kind": kind, "name": name, "address": address, "region": region})
        pairs = list(through.values_list("application_id", "product_id"))
        linked = through.values("product_id")
        product_fields = ["pk", *PRODUCT_FIELDS]  # what build_content freezes of a product
        products: dict[int, dict[str, Any]] = {}
        for row in Product.objects.filter(pk__in=linked).values_list(*product_fields):
            p = dict(zip(product_fields, row, strict=True))
            p["id"] = p.pop("pk")
            p["ingredients"], p["steps"], p["permits"] = [], [], []
            products[p["id"]] = p
        # The order build_content uses: products by name then id, ingredients by id, steps by order, permits by kind.
        links: dict[int, list[int]] = defaultdict(list)
        for app_id, pid in sorted(pairs, key=lambda pair: (pair[0], products[pair[1]]["name"], pair[1])):
            links[app_id].append(pid)
        ingredient_fields = [
            "product_id",
            "name",
            "kind",
            "producer",
            "brand",
            "supplier",
            "halal_certificate_number",
            "certificate_issuer",
            "certificate_body",
            "certificate_valid_until",
            "positive_list_entry_id",
            "exempt_claim",
        ]
        ingredients = Ingredient.objects.filter(product_id__in=linked).order_by("id").values_list(*ingredient_fields)
        for pid, name, kind, producer, brand, supplier, number, issuer, body, until, entry_id, exempt in ingredients:
            entry = self._entry(entry_id)
            certificate = None
            if number:
                certificate = {"number": number, "issuer": issuer, "body": body, "valid_until": _day(until)}
            products[pid]["ingredients"].append(
                {
                    "key": ingredient_key(pid, name),
                    "name": name,
                    "kind": kind,
                    "producer": producer,
                    "brand": brand,
                    "supplier": supplier,
                    "certificate": certificate,
                    "positive_list": {"id": entry.pk, "name": entry.name, "group": entry.group_name} if entry else None,
                    "exempt_claim": exempt,
                    "classification": self._classification(
                        name=name,
                        entry=entry,
                        number=number,
                        issuer=issuer,
                        body=body,
                        valid_until=until,
                        exempt_claim=exempt,
                    ),
                }
            )
        step_ingredients: dict[int, list[str]] = defaultdict(list)
        used = ProcessStep.ingredients.through.objects.filter(processstep__product_id__in=linked)
        for step_id, name in used.order_by("id").values_list("processstep_id", "ingredient__name"):
            step_ingredients[step_id].append(name)
        steps = ProcessStep.objects.filter(product_id__in=linked).order_by("order")
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
        permits = DistributionPermit.objects.filter(product_id__in=linked).order_by("kind")
        for pid, kind, number, issuer, issued, expires, document_name, document in permits.values_list(
            "product_id", "kind", "number", "issuer", "issued_on", "expires_on", "document_name", "document"
        ):
            products[pid]["permits"].append(
                {
                    "kind": kind,
                    "number": number,
                    "issuer": issuer,
                    "issued_on": _day(issued),
                    "expires_on": _day(expires),
                    "document_name": document_name if document else "",
                    "document_sha256": "",  # bulk permits carry no scan
                    "document_file": document or "",
                }
            )
        out["products"] = products
        out["links"] = links
        return out

    def _entry(self, entry_id: int | None) -> Any:
        """The positive-list entry (a few hundred in all), read once per process."""
        if entry_id is None:
            return None
        if not self.entries:
            from applicants.models.dossier import PositiveListEntry

            self.entries = {e.pk: e for e in PositiveListEntry.objects.all()}
        return self.entries.get(entry_id)

    def _classification(self, *, number: str, **facts: Any) -> dict[str, Any]:
        """What the platform said of the ingredient (both languages), once per distinct set of the facts it reads."""
        from applicants.dossier.classification import classify

        entry = facts["entry"]
        key = (
            facts["name"],
            entry.pk if entry is not None else None,
            re.sub(r"\d", "9", number),  # numbers of one shape get the same verdict; the texts name the number
            facts["issuer"],
            facts["body"],
            facts["valid_until"],
            facts["exempt_claim"],
        )
        known = self.classifications.get(key)
        if known is None:
            texts: dict[str, dict[str, str]] = {"reason": {}, "evidence": {}}
            verdict = classify(number=number, today=self.today, **facts)
            for language in LANGUAGES:
                with translation.override(language):
                    said = classify(number=number, today=self.today, **facts)
                texts["reason"][language] = str(said.reason)
                texts["evidence"][language] = str(said.evidence)
            known = {"doubtful": verdict.doubtful, "basis": verdict.basis, **texts}
            self.classifications[key] = known
            self.numbers[key] = number
        said_of = self.numbers[key]
        if not number or number == said_of:
            return known
        return {
            **known,
            "reason": {k: v.replace(said_of, number) for k, v in known["reason"].items()},
            "evidence": {k: v.replace(said_of, number) for k, v in known["evidence"].items()},
        }


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
