"""This round's tables at national scale (issue 34): distribution permits, catalogue listings, the evidence snapshot of
every submitted case, the assistants' verification records and the regular pathway's bills.

Every writer fills only what is missing (a product without permits, a submitted case without a snapshot, ...), so the
same call tops up a database seeded before these tables existed and follows a fresh `seed_bulk` run. Proportions are
drawn from the row ids (deterministic, no random state to carry between runs):

- permits: two products in five hold a PIRT, one in twelve a BPOM MD (a product may hold both); numbers in the
  formats the permit service checks (PIRT: 15 digits ending in the expiry year; MD + 12 digits), issued 0-5 years
  ago, valid five years;
- listings: a third of the products of certified cases are in the catalogue, nine in ten of those published;
- snapshots: one per submission of each case past draft (the seeded cases were submitted once: a returned case waits
  for its owner), with the content `snapshot_take` freezes (business, figures, people, facilities, products with
  ingredients, their classification in both languages, steps and permits) and its SHA-256 over the same canonical
  JSON, so `verify_chains`' snapshot check holds. Inserted, never updated: the table's trigger refuses UPDATE and
  DELETE, and nothing here asks it to. The case (and its certificate) then point at their snapshot;
- verification records: one per self-declare case the assistant validated (a `pph_validate` event), with a line per
  ingredient and process step of its products and per practice line, all conforming (the case passed);
- bills: one per regular case that reached `awaiting_payment`, with the owner's proof and the office's confirmation
  when it was paid.

Snapshots are built in Python (the content hash must be Python's canonical JSON: `bench/bulk/snapshots.py`); everything
else is INSERT ... SELECT written by PostgreSQL itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, models, transaction

from bench.bulk import analyze, bulk_load, completed, reset_sequences
from bench.bulk.snapshots import snapshots_write


def round_tables_write(*, today: date) -> dict[str, int]:
    """Fill this round's tables for every row that lacks them; returns the rows written per table."""
    written: dict[str, int] = {}
    with transaction.atomic():
        written["supervisors"] = supervisors_write()
        written["permits"] = permits_write()
        written["listings"] = listings_write()
    written["snapshots"] = snapshots_write(today=today)
    with transaction.atomic():
        written["verifications"], written["verification items"] = verifications_write()
        written["bills"] = bills_write()
    return written


def _insert(model: type[models.Model], fields: list[str], select: str, params: list[Any]) -> int:
    """INSERT INTO the model's table (the named columns, then every other column's default) SELECT ...; `select`
    holds `{extra}` where the defaults go, and its own placeholders after them."""
    names, defaults = completed(model, fields)
    quote = connection.ops.quote_name
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(quote(by_attname[name]) for name in names)
    sql = select.replace("{extra}", "".join(", %s" for _ in defaults))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {sql}", [*defaults, *params])
        return int(cursor.rowcount)


def supervisors_write() -> int:
    """Every applicant names its halal supervisor (UU 33/2014 Ps 24(c)); in a family firm the owner acts as one: a
    supervisor record for each business that lacks one (before the snapshots, which freeze it)."""
    from applicants.models import Business
    from applicants.models.dossier import Person

    people, business = Person._meta.db_table, Business._meta.db_table
    return _insert(
        Person,
        ["business_id", "role", "name", "position", "phone", "nik", "religion", "owner_acts"],
        f"SELECT b.id, 'supervisor', 'Penanggung Jawab ' || b.id, 'Pemilik', '08' || b.id, '', 'islam', TRUE{{extra}} "
        f"FROM {business} AS b WHERE NOT EXISTS "
        f"(SELECT 1 FROM {people} AS p WHERE p.business_id = b.id AND p.role = 'supervisor')",
        [],
    )


def permits_write() -> int:
    from applicants.models import DistributionPermit, Product

    product = Product._meta.db_table
    business = "applicants_business"
    permit = DistributionPermit._meta.db_table
    fields = [
        "product_id",
        "kind",
        "number",
        "issuer",
        "issued_on",
        "expires_on",
        "created_by_id",
        "created_at",
        "updated_at",
    ]
    # The issue date goes back 0-5 years from the product's id; PIRT and MD are valid five years (PIRT's last two
    # digits are the year it ends, which the permit service checks).
    issued = "(CURRENT_DATE - ((p.id * 37) %% 1800)::int)"
    written = 0
    with bulk_load(DistributionPermit):
        written += _insert(
            DistributionPermit,
            fields,
            f"SELECT p.id, 'pirt', lpad(((p.id * 7919) %% 10000000000000)::text, 13, '0') "
            f"|| to_char({issued} + interval '5 years', 'YY'), 'Dinas Kesehatan', {issued}, "
            f"({issued} + interval '5 years')::date, b.owner_id, now(), now(){{extra}} "
            f"FROM {product} AS p JOIN {business} AS b ON b.id = p.business_id "
            f"WHERE (p.id * 13) %% 5 < 2 AND NOT EXISTS "
            f"(SELECT 1 FROM {permit} AS x WHERE x.product_id = p.id AND x.kind = 'pirt')",
            [],
        )
        written += _insert(
            DistributionPermit,
            fields,
            f"SELECT p.id, 'bpom_md', 'MD' || lpad(((p.id * 104729) %% 1000000000000)::text, 12, '0'), 'BPOM RI', "
            f"{issued}, ({issued} + interval '5 years')::date, b.owner_id, now(), now(){{extra}} "
            f"FROM {product} AS p JOIN {business} AS b ON b.id = p.business_id "
            f"WHERE (p.id * 17) %% 12 = 0 AND NOT EXISTS "
            f"(SELECT 1 FROM {permit} AS x WHERE x.product_id = p.id AND x.kind = 'bpom_md')",
            [],
        )
    analyze(DistributionPermit)
    return written


def listings_write() -> int:
    from applicants.models import Product, ProductListing
    from certification.models import Application

    links = Application.products.through._meta.db_table
    with bulk_load(ProductListing):
        written = _insert(
            ProductListing,
            [
                "product_id",
                "published",
                "description",
                "price_min",
                "price_max",
                "whatsapp",
                "links",
                "updated_by_id",
                "created_at",
                "updated_at",
            ],
            f"SELECT p.id, p.id %% 10 <> 0, p.name || ' buatan rumah, tanpa pengawet, dikemas rapi.', "
            f"5000 + (p.id %% 20) * 2500, 5000 + (p.id %% 20) * 2500 + (p.id %% 7) * 5000, "
            f"'628' || lpad((p.id %% 1000000000)::text, 9, '0'), '[\"https://shopee.co.id/\"]'::jsonb, "
            "b.owner_id, now(), now(){extra} "
            f"FROM {Product._meta.db_table} AS p JOIN applicants_business AS b ON b.id = p.business_id "
            f"WHERE (p.id * 29) %% 3 = 0 "
            f"AND EXISTS (SELECT 1 FROM {links} AS l JOIN {Application._meta.db_table} AS a ON a.id = l.application_id "
            f"WHERE l.product_id = p.id AND a.state = 'issued') "
            f"AND NOT EXISTS (SELECT 1 FROM {ProductListing._meta.db_table} AS x WHERE x.product_id = p.id)",
            [],
        )
    reset_sequences(ProductListing)
    analyze(ProductListing)
    return written


def verifications_write() -> tuple[int, int]:
    from applicants.models import Ingredient
    from applicants.models.dossier import ProcessStep
    from certification.evidence.services import ingredient_key
    from certification.models import Application, ApplicationEvent, Verification, VerificationItem
    from certification.verification.practice import PRACTICES

    app = Application._meta.db_table
    verification = Verification._meta.db_table
    with bulk_load(Verification):
        records = _insert(
            Verification,
            ["application_id", "visit_date", "latitude", "longitude", "recommendation", "updated_by_id", "updated_at"],
            f"SELECT a.id, (e.created_at - ((a.id %% 4) || ' days')::interval)::date, "
            f"-5.45 + (a.id %% 1000) / 10000.0, 105.26 + (a.id %% 997) / 10000.0, "
            f"'Bahan dan proses sesuai; layak diajukan ke Komite Fatwa.', e.actor_id, e.created_at{{extra}} "
            f"FROM {app} AS a JOIN {ApplicationEvent._meta.db_table} AS e "
            f"ON e.application_id = a.id AND e.action = 'pph_validate' "
            f"WHERE a.pathway = 'self_declare' "
            f"AND NOT EXISTS (SELECT 1 FROM {verification} AS v WHERE v.application_id = a.id)",
            [],
        )
    analyze(Verification)  # the planner must know the new records before joining them to thousands of lines
    # Checklist lines are named by keys drawn from the evidence (certification.evidence.services.ingredient_key): the
    # digest of the ingredient's normalised name, computed here once per distinct name and joined in.
    names = list(Ingredient.objects.order_by().values_list("name", flat=True).distinct())
    digests = [(n, ingredient_key(0, n).rsplit("-", 1)[1]) for n in names]
    links = Application.products.through._meta.db_table
    fresh = f"v.id >= {_first_unlined(VerificationItem)}"
    items = 0
    fields = ["verification_id", "key", "verdict", "evidence"]
    with bulk_load(VerificationItem):
        if digests:
            values = ", ".join("(%s, %s)" for _ in digests)
            items += _insert(
                VerificationItem,
                fields,
                f"SELECT v.id, 'i-' || i.product_id || '-' || d.digest, 'conforms', "
                f"CASE WHEN i.positive_list_entry_id IS NOT NULL OR i.halal_certificate_number <> '' "
                f"THEN 'platform' ELSE 'certificate_seen' END{{extra}} "
                f"FROM {verification} AS v JOIN {links} AS l ON l.application_id = v.application_id "
                f"JOIN {Ingredient._meta.db_table} AS i ON i.product_id = l.product_id "
                f"JOIN (VALUES {values}) AS d (name, digest) ON d.name = i.name "
                f"WHERE {fresh} ON CONFLICT DO NOTHING",
                [value for pair in digests for value in pair],
            )
        items += _insert(
            VerificationItem,
            fields,
            f"SELECT v.id, 's-' || s.product_id || '-' || s.{connection.ops.quote_name('order')}, 'conforms', "
            f"'seen_on_site'{{extra}} FROM {verification} AS v "
            f"JOIN {links} AS l ON l.application_id = v.application_id "
            f"JOIN {ProcessStep._meta.db_table} AS s ON s.product_id = l.product_id WHERE {fresh}",
            [],
        )
        practice_values = ", ".join("(%s)" for _ in PRACTICES)
        items += _insert(
            VerificationItem,
            fields,
            f"SELECT v.id, p.key, 'conforms', 'seen_on_site'{{extra}} FROM {verification} AS v "
            f"CROSS JOIN (VALUES {practice_values}) AS p (key) WHERE {fresh}",
            [practice.key for practice in PRACTICES],
        )
    reset_sequences(Verification, VerificationItem)
    analyze(Verification, VerificationItem)
    return records, items


def _first_unlined(VerificationItem: Any) -> int:
    """The first verification record without checklist lines (the ones this run wrote follow it)."""
    lined = VerificationItem.objects.aggregate(top=models.Max("verification_id"))["top"] or 0
    return int(lined) + 1


def bills_write() -> int:
    from certification.models import Application, ApplicationEvent, Bill

    with bulk_load(Bill):
        written = _insert(
            Bill,
            [
                "application_id",
                "amount",
                "channel",
                "code",
                "bank",
                "due_on",
                "recorded_by_id",
                "recorded_at",
                "proof",
                "proof_name",
                "proof_type",
                "proof_uploaded_at",
                "confirmed_at",
                "confirmed_by_id",
            ],
            "SELECT a.id, a.fee_amount, CASE WHEN a.id %% 4 = 0 THEN 'virtual_account' ELSE 'simponi' END, "
            "CASE WHEN a.id %% 4 = 0 THEN '8808' || lpad((a.id %% 1000000000000)::text, 12, '0') "
            "ELSE '8' || lpad((a.id * 7 %% 100000000000000)::text, 14, '0') END, "
            "CASE WHEN a.id %% 4 = 0 THEN 'Bank Rakyat Indonesia' ELSE '' END, "
            "(e.created_at + interval '7 days')::date, COALESCE(e.actor_id, a.created_by_id), e.created_at, "
            "CASE WHEN a.paid_at IS NOT NULL THEN 'certification/payments/bulk-' || a.id || '.pdf' ELSE '' END, "
            "CASE WHEN a.paid_at IS NOT NULL THEN 'bukti-transfer.pdf' ELSE '' END, "
            "CASE WHEN a.paid_at IS NOT NULL THEN 'application/pdf' ELSE '' END, "
            "a.paid_at - interval '1 day', a.paid_at, "
            "CASE WHEN a.paid_at IS NOT NULL THEN COALESCE(a.assigned_reviewer_id, e.actor_id) END{extra} "
            f"FROM {Application._meta.db_table} AS a JOIN {ApplicationEvent._meta.db_table} AS e "
            "ON e.application_id = a.id AND e.action = 'appoint_lph' "
            "WHERE a.pathway = 'regular' AND a.fee_amount > 0 "
            f"AND NOT EXISTS (SELECT 1 FROM {Bill._meta.db_table} AS x WHERE x.application_id = a.id)",
            [],
        )
    reset_sequences(Bill)
    analyze(Bill)
    return written
