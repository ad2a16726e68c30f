"""Bulk owners, businesses, yearly figures and products in the seeded Lampung regencies."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from applicants.models import BUSINESS_FIELDS, AnnualFigures, Business, Product, Region
from bench.bulk import analyze, bulk_load, completed, copy_rows, next_id, reset_sequences
from core.access import roles
from core.models import User

BULK_PASSWORD = "bulk-owner"  # noqa: S105 - synthetic benchmark accounts on a throwaway database

NAME_FIRST = ["Keripik", "Kopi", "Roti", "Sambal", "Dodol", "Kerupuk", "Bakso", "Tempe", "Madu", "Gula Aren"]
NAME_SECOND = ["Mak Ijah", "Pak Darto", "Sari Rasa", "Berkah", "Barokah", "Lestari", "Maju Jaya", "Sumber Rejeki"]
PRODUCTS = {
    "food": ["Rendang", "Abon sapi", "Sambal lingkung"],
    "snacks": ["Keripik pisang", "Keripik singkong", "Kemplang"],
    "bakery": ["Roti manis", "Bolu pandan", "Lapis legit"],
    "beverages": ["Sirup jahe", "Sari tebu", "Wedang uwuh"],
    "coffee": ["Kopi robusta bubuk", "Kopi luwak", "Teh serai"],
    "spices": ["Bumbu rendang", "Lada hitam", "Kunyit bubuk"],
    "frozen": ["Bakso beku", "Pempek beku", "Nugget ayam"],
    "catering": ["Nasi kotak", "Tumpeng", "Lontong sayur"],
    "other": ["Madu hutan", "Gula aren", "Tempe"],
}
# Weights roughly like BPS's micro-small food industries: most are individuals in snacks and processed food.
SECTORS = list(Business.Sector.values)
SECTOR_WEIGHTS = [20, 25, 12, 8, 10, 6, 4, 10, 5]
LEGAL_FORMS = list(Business.LegalForm.values)
LEGAL_WEIGHTS = [80, 8, 5, 2, 3, 2]


@dataclass
class ApplicantsSeed:
    """What later writers need: business ids with their owner, and each business's product ids."""

    business_ids: list[int] = field(default_factory=list)
    owner_of: dict[int, int] = field(default_factory=dict)
    products_of: dict[int, list[int]] = field(default_factory=dict)


def _owners(rng: random.Random, first_id: int, count: int, password: str, now: datetime) -> Iterator[tuple[Any, ...]]:
    for offset in range(count):
        uid = first_id + offset
        yield (
            uid,
            f"owner{uid}@bulk.test",
            f"Pemilik {uid}",
            f"08{rng.randrange(10**9, 10**10)}",
            password,
            None,
            False,
            False,
            True,
            False,
            now - timedelta(days=rng.randrange(0, 1500)),
        )


USER_FIELDS = [
    "id",
    "email",
    "full_name",
    "phone",
    "password",
    "last_login",
    "is_superuser",
    "is_staff",
    "is_active",
    "is_taskforce_lead",
    "date_joined",
]


def users_write(*, count: int, rng: random.Random, role: str, label: str = "owner") -> list[int]:
    """Users with one shared password hash (hashing per user would take hours) in the group `role`."""
    password = make_password(BULK_PASSWORD)
    now = timezone.now()
    first = next_id(User)
    rows = ((r[0], r[1].replace("owner", label, 1), *r[2:]) for r in _owners(rng, first, count, password, now))
    copy_rows(User, USER_FIELDS, rows)
    group = Group.objects.get_or_create(name=role)[0]
    Membership = User.groups.through
    membership_first = next_id(Membership)
    copy_rows(
        Membership,
        ["id", "user_id", "group_id"],
        ((membership_first + i, first + i, group.pk) for i in range(count)),
    )
    reset_sequences(User, Membership)
    return list(range(first, first + count))


def businesses_write(*, count: int, rng: random.Random, today: date) -> ApplicantsSeed:
    """`count` owners each with one business, 1-3 years of figures and 1-3 products."""
    seed = ApplicantsSeed()
    if count <= 0:
        return seed
    regencies = list(Region.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    if not regencies:
        raise RuntimeError("No regencies: run `manage.py migrate` first (applicants seeds Lampung).")
    owners = users_write(count=count, rng=rng, role=roles.OWNER)
    now = timezone.now()
    first_business = next_id(Business)
    business_rows = []
    for index, owner_id in enumerate(owners):
        bid = first_business + index
        sector = rng.choices(SECTORS, SECTOR_WEIGHTS)[0]
        name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {bid}"
        workforce = rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 12, 19, 25])
        profile = {
            "name": name,
            "nib": f"9{bid:012d}",
            "legal_form": rng.choices(LEGAL_FORMS, LEGAL_WEIGHTS)[0],
            "address": f"Jl. Raya No. {rng.randrange(1, 300)}",
            "region": rng.choice(regencies),
            "kbli": rng.choice(["10792", "10710", "10799", "10750", "11040", "56102"]),
            "sector": sector,
            "production_started": today - timedelta(days=rng.randrange(200, 5000)),
            "outlets": rng.choice([1, 1, 1, 2]),
            "production_facilities": 1,
            "workforce": workforce,
            "phone": "",
            "halal_supervisor": "",
            "separate_halal_facility": rng.choice([None, True, False]),
        }
        business_rows.append((bid, owner_id, *(profile[field] for field in BUSINESS_FIELDS), now, now))
        seed.business_ids.append(bid)
        seed.owner_of[bid] = owner_id
    columns = ["id", "owner_id", *(f"{field}_id" if field == "region" else field for field in BUSINESS_FIELDS)]
    # Without their secondary indexes and foreign keys while loading (bench.bulk.bulk_load), rebuilt once at the end.
    loading = ExitStack()
    loading.enter_context(bulk_load(Business, AnnualFigures, Product))
    copy_rows(Business, [*columns, "created_at", "updated_at"], business_rows)
    sector_at, workforce_at = columns.index("sector"), columns.index("workforce")
    sectors = {row[0]: row[sector_at] for row in business_rows}
    workforce_of = {row[0]: row[workforce_at] for row in business_rows}
    del business_rows
    copy_rows(
        AnnualFigures,
        [
            "id",
            "business_id",
            "year",
            "annual_sales",
            "operating_expenses",
            "capital",
            "workforce",
            "export_value",
            "created_at",
        ],
        _figures(rng, seed.business_ids, workforce_of, today.year, next_id(AnnualFigures), now),
    )
    first_product = next_id(Product)
    product_rows = []
    for bid in seed.business_ids:
        names = PRODUCTS[sectors[bid]]
        ids = []
        for n in range(rng.randint(1, 3)):
            pid = first_product + len(product_rows)
            product_rows.append(
                (
                    pid,
                    bid,
                    names[n],
                    Product.Category.SIMPLE,
                    "",
                    Product.Process.MANUAL,
                    rng.randint(0, 2),
                    False,
                    "",
                    now,
                )
            )
            ids.append(pid)
        seed.products_of[bid] = ids
    copy_rows(
        Product,
        [
            "id",
            "business_id",
            "name",
            "category",
            "description",
            "process",
            "preservation_methods",
            "contains_slaughtered",
            "slaughterhouse_certificate",
            "created_at",
        ],
        product_rows,
    )
    loading.close()
    dossiers_write(first_business=first_business, first_product=first_product, today=today)
    reset_sequences(Business, AnnualFigures, Product)
    analyze(User, Business, AnnualFigures, Product)
    return seed


def _figures(
    rng: random.Random, business_ids: list[int], workforce_of: dict[int, int], year: int, first_id: int, now: datetime
) -> Iterator[tuple[Any, ...]]:
    """Sales from a log-uniform spread (Rp 20 million to Rp 5 billion), growing 0-25 % a year."""
    fid = first_id
    for bid in business_ids:
        sales = int(20_000_000 * (250 ** rng.random()))
        for back in range(rng.randint(1, 3) - 1, -1, -1):
            expenses = int(sales * rng.uniform(0.45, 0.9))
            yield (fid, bid, year - 1 - back, sales, expenses, sales // 3, workforce_of[bid], 0, now)
            fid += 1
            sales = int(sales * rng.uniform(1.0, 1.25))


def existing() -> ApplicantsSeed:
    """Businesses (and their products) already in the database, for writers run without new businesses."""
    seed = ApplicantsSeed()
    for bid, owner_id in Business.objects.order_by("pk").values_list("pk", "owner_id").iterator(chunk_size=20_000):
        seed.business_ids.append(bid)
        seed.owner_of[bid] = owner_id
    for pid, bid in Product.objects.order_by("pk").values_list("pk", "business_id").iterator(chunk_size=20_000):
        seed.products_of.setdefault(bid, []).append(pid)
    return seed


# Ingredients of every product: (name, kind, the positive-list entry it matches or "", has a halal certificate). Each
# product takes three of the five (which three follows from its id), and one product in ten also a doubtful one (a
# critical point without a valid certificate), as the demo's owners do.
INGREDIENTS = [
    ("Air", "raw", "air", False),
    ("Garam", "raw", "garam (hasil tambang/pemurnian)", False),
    ("Minyak goreng", "raw", "", True),
    ("Tepung terigu", "raw", "", True),
    ("Kemasan plastik", "packaging", "", True),
]
DOUBTFUL = ("Penyedap rasa", "additive", "", False)
STEPS = [
    ("purchase", "Bahan dibeli dari pemasok tetap di pasar."),
    ("processing", "Bahan diolah dan dimasak di dapur produksi."),
    ("packaging", "Produk dikemas dalam plastik dan diberi label."),
]


def dossiers_write(*, first_business: int, first_product: int, today: date) -> dict[str, int]:
    """The dossier SIHALAL asks for, for every new business: the person responsible, one production facility, three
    process steps and three or four classified ingredients per product (issue 16's tables, in proportion).

    Written by the database itself (INSERT ... SELECT over the new businesses and products): some 15 rows per
    business, which Python would spend minutes formatting at a million businesses. Portable SQL (SQLite in tests).
    """
    from applicants.models import Ingredient
    from applicants.models.dossier import Facility, Person, ProcessStep

    written: dict[str, int] = {}
    with bulk_load(Person, Facility, Ingredient, ProcessStep):
        _dossier_inserts(written, first_business, first_product, today)
    reset_sequences(Person, Facility, Ingredient, ProcessStep)
    analyze(Person, Facility, Ingredient, ProcessStep)
    return written


def _dossier_inserts(written: dict[str, int], first_business: int, first_product: int, today: date) -> None:
    from applicants.models import Ingredient
    from applicants.models.dossier import Facility, Person, ProcessStep

    def insert(model: Any, fields: list[str], select: str, params: tuple[list[Any], list[Any]], label: str) -> None:
        """`params`: the values of the placeholders before `{extra}` (the other columns' defaults) and after it."""
        names, defaults = completed(model, fields)
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(_field(model, n)).column) for n in names)
        extra = "".join(", %s" for _ in defaults)
        sql = select.replace("{extra}", extra)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {model._meta.db_table} ({columns}) {sql}", [*params[0], *defaults, *params[1]])
            written[label] = cursor.rowcount

    insert(
        Person,
        ["business_id", "role", "name", "position", "phone", "nik", "religion"],
        "SELECT id, 'responsible', 'Penanggung Jawab ' || id, 'Pemilik', '08' || id, '', ''{extra} "
        "FROM applicants_business WHERE id >= %s",
        ([], [first_business]),
        "people",
    )
    insert(
        Facility,
        ["business_id", "kind", "name", "address", "region_id"],
        "SELECT id, 'production', 'Dapur produksi', 'Jl. Produksi No. ' || (id %% 300 + 1), region_id{extra} "
        "FROM applicants_business WHERE id >= %s",
        ([], [first_business]),
        "facilities",
    )
    catalogue = [(n, *row) for n, row in enumerate(INGREDIENTS)] + [(len(INGREDIENTS), *DOUBTFUL)]
    materials = " UNION ALL ".join(
        f"SELECT {n} AS n, '{name}' AS name, '{kind}' AS kind, '{entry}' AS entry, {int(certified)} AS certified"
        for n, name, kind, entry, certified in catalogue
    )
    doubtful = len(INGREDIENTS)
    insert(
        Ingredient,
        [
            "product_id",
            "name",
            "kind",
            "producer",
            "brand",
            "halal_certificate_number",
            "certificate_issuer",
            "certificate_valid_until",
            "positive_list_entry_id",
            "supplier",
        ],
        "SELECT p.id, m.name, m.kind, '', '', "
        "CASE WHEN m.certified = 1 THEN 'ID1811000' || (1000000000 + p.id * 10 + m.n) ELSE '' END, "
        "CASE WHEN m.certified = 1 THEN 'bpjph' ELSE '' END, "
        "CASE WHEN m.certified = 1 THEN %s END, "
        "(SELECT e.id FROM applicants_positivelistentry AS e WHERE e.name = m.entry AND e.active), ''{extra} "
        f"FROM applicants_product AS p CROSS JOIN ({materials}) AS m WHERE p.id >= %s AND "
        f"((m.n < {doubtful} AND (p.id + m.n) %% {len(INGREDIENTS)} < 3) OR (m.n = {doubtful} AND p.id %% 10 = 0))",
        ([today + timedelta(days=720)], [first_product]),
        "ingredients",
    )
    stages = " UNION ALL ".join(
        f"SELECT {order + 1} AS step, '{stage}' AS stage, '{text}' AS text" for order, (stage, text) in enumerate(STEPS)
    )
    insert(
        ProcessStep,
        ["product_id", "order", "stage", "description"],
        f"SELECT p.id, s.step, s.stage, s.text{{extra}} FROM applicants_product AS p CROSS JOIN ({stages}) AS s "
        "WHERE p.id >= %s",
        ([], [first_product]),
        "steps",
    )


def _field(model: Any, attname: str) -> str:
    for concrete in model._meta.concrete_fields:
        if concrete.attname == attname:
            return str(concrete.name)
    raise ValueError(f"{model.__name__} has no column for {attname!r}")
