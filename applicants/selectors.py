"""Reads of the registry, scoped by user.

Who sees which business:
- an owner sees the businesses they own;
- staff (reviewer, officer, admin) see every business of their jurisdiction (the registry; see jurisdiction_q);
- a halal process assistant (pph) sees, read-only, only the businesses of the cases assigned to them. `applicants`
  knows nothing about cases, so the app that owns cases registers the scope (`register_assistant_scope`, called by
  certification at start-up); with none registered an assistant sees no business.
Only owners write through the owner pages and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Lag
from django.http import Http404
from django.utils import timezone

from applicants.dossier.generation import REFERENCE
from applicants.models import (
    AnnualFigures,
    Business,
    Document,
    Ingredient,
    Person,
    PositiveListEntry,
    Product,
    Region,
    StaffRegion,
)
from applicants.models.imports import ImportJob
from applicants.models.permits import DistributionPermit
from applicants.scale import RANK, SALES_MAX, WORKFORCE_MAX, FiguresRow, Scale, YearScale, history
from core import generations
from core.access import roles
from core.models import User

# user -> a queryset of business ids the assistant works on (set by the app that owns cases).
AssistantScope = Callable[[Any], QuerySet[Any]]
_assistant_scopes: list[AssistantScope] = []


def register_assistant_scope(scope: AssistantScope) -> None:
    """Called once at start-up by the app that assigns assistants to cases; registering twice is harmless."""
    if scope not in _assistant_scopes:
        _assistant_scopes.append(scope)


# document -> why a submitted case holds it ("" when none does), set by the app that owns cases: a held document is
# never deleted or overwritten (it is evidence), only replaced for the next submission.
EvidenceHold = Callable[[Document], str]
_evidence_holds: list[EvidenceHold] = []


def register_evidence_hold(hold: EvidenceHold) -> None:
    """Called once at start-up by the app that rests decisions on documents; registering twice is harmless."""
    if hold not in _evidence_holds:
        _evidence_holds.append(hold)


def evidence_holds(document: Document) -> list[str]:
    """Why the document may not be deleted or overwritten (empty: it may)."""
    return [reason for hold in _evidence_holds if (reason := hold(document))]


# stored file name -> whether a submitted case's evidence rests on it (a product's permit scan, which lives on the
# permit row rather than as a Document): such a file is never deleted when the permit is edited or deleted.
FileHold = Callable[[str], bool]
_file_holds: list[FileHold] = []


def register_file_hold(hold: FileHold) -> None:
    """Called once at start-up by the app that freezes evidence; registering twice is harmless."""
    if hold not in _file_holds:
        _file_holds.append(hold)


def file_held(name: str) -> bool:
    """Whether the stored file must be kept because a submission's evidence rests on it."""
    return bool(name) and any(hold(name) for hold in _file_holds)


def can_read_all(user: Any) -> bool:
    """Staff read the registry (within their jurisdiction, see jurisdiction_q)."""
    return roles.has_role(user, *roles.STAFF_ROLES)


# --- Staff jurisdiction: the one place that decides which regions a reviewer, officer or assistant works for. -----
def is_national(user: Any) -> bool:
    """Administrators and the "national" group see every region (staff without any StaffRegion row too: see below)."""
    return roles.has_role(user, roles.ADMIN, roles.NATIONAL)


def jurisdiction_q(user: Any, prefix: str = "") -> Q:
    """A filter on `<prefix>region` for the regions the user works for; no query of its own (subqueries only).

    A StaffRegion row for a province covers its regencies and cities. Staff without any StaffRegion row work
    nationally, as every staff member did before jurisdictions existed (a one-office deployment needs no set-up);
    an administrator narrows a person by giving them regions in the admin site.
    """
    if is_national(user):
        return Q()
    mine = StaffRegion.objects.filter(user=user).values("region")
    covered = Region.objects.filter(Q(pk__in=mine) | Q(parent__in=mine)).values("pk")
    return Q(**{f"{prefix}region__in": covered}) | Q(~Exists(StaffRegion.objects.filter(user=user)))


def staff_covering_q(region_id: int | None) -> Q:
    """A filter on users whose jurisdiction covers a region (for assignment lists and checks); no query of its own."""
    national = Exists(Group.objects.filter(user=OuterRef("pk"), name__in=[roles.ADMIN, roles.NATIONAL]))
    unscoped = ~Exists(StaffRegion.objects.filter(user=OuterRef("pk")))
    if region_id is None:
        return Q(national) | Q(unscoped)
    covering = Region.objects.filter(Q(pk=region_id) | Q(children__pk=region_id)).values("pk")
    return Q(national) | Q(unscoped) | Q(Exists(StaffRegion.objects.filter(user=OuterRef("pk"), region__in=covering)))


def staff_for_region(region_id: int | None, *role_names: str) -> QuerySet[User]:
    """Active holders of a role whose jurisdiction covers a region: the only people a notice, a reminder or an
    escalation about a case, business or programme of that region may go to. The same rule as the queue
    (jurisdiction_q): the region's province and regency staff, national staff, and staff without any region.
    No query of its own until evaluated."""
    users = User.objects.filter(roles.holders(*role_names), staff_covering_q(region_id), is_active=True)
    return users.distinct().order_by("id")


def covers(user: Any, region_id: int | None) -> bool:
    """Whether the user's jurisdiction covers a region (one query unless national)."""
    if is_national(user):
        return True
    return bool(User.objects.filter(staff_covering_q(region_id), pk=user.pk).exists())


def jurisdiction_of(user: Any) -> list[Region] | None:
    """The regions a user works for as given (provinces and regencies), or None when national. One query, cached
    on the user object for the request."""
    if is_national(user):
        return None
    if "_jurisdiction_cache" not in user.__dict__:
        rows = [row.region for row in StaffRegion.objects.filter(user=user).select_related("region")]
        user._jurisdiction_cache = rows or None
    cached: list[Region] | None = user._jurisdiction_cache
    return cached


def jurisdiction_regions(user: Any) -> QuerySet[Region]:
    """Regions the user may filter on: every region when national or unscoped, else their provinces and regencies
    and the regencies/cities of their provinces. No query of its own (subqueries only)."""
    if is_national(user):
        return Region.objects.all()
    mine = StaffRegion.objects.filter(user=user)
    ids = mine.values("region")
    return Region.objects.filter(Q(pk__in=ids) | Q(parent__in=ids) | Q(~Exists(mine)))


def staff_overlapping_q(actor: Any) -> Q:
    """A filter on users who can take some case of the actor's jurisdiction (for assignment lists): national and
    unscoped staff, and staff given a region the actor covers or a province above one of the actor's regencies."""
    if is_national(actor):
        return Q()
    mine = StaffRegion.objects.filter(user=actor)
    covered = jurisdiction_regions(actor).values("pk")
    above = Region.objects.filter(children__in=mine.values("region")).values("pk")
    overlapping = StaffRegion.objects.filter(user=OuterRef("pk")).filter(Q(region__in=covered) | Q(region__in=above))
    return Q(~Exists(mine)) | staff_covering_q(None) | Q(Exists(overlapping))


def businesses_for(user: Any) -> QuerySet[Business]:
    """The businesses a user may read (none for anonymous): owners their own; staff those of their jurisdiction;
    assistants those of the cases assigned to them."""
    if not getattr(user, "is_authenticated", False):
        return Business.objects.none()
    if can_read_all(user):
        return Business.objects.filter(jurisdiction_q(user))
    visible = Q(owner=user)
    if roles.has_role(user, roles.PPH):
        for scope in _assistant_scopes:
            visible |= Q(pk__in=scope(user))
    return Business.objects.filter(visible)


def businesses_owned_by(user: Any) -> QuerySet[Business]:
    """The businesses a user may change: only their own (staff read the registry, owners keep their records)."""
    if not getattr(user, "is_authenticated", False):
        return Business.objects.none()
    return Business.objects.filter(owner=user)


def business_get_for(user: Any, pk: int, *, for_change: bool = False) -> Business:
    """One business the user may read (or change); Http404 otherwise, never a hint that it exists."""
    queryset = businesses_owned_by(user) if for_change else businesses_for(user)
    try:
        return queryset.select_related("region", "owner").get(pk=pk)
    except (Business.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    """A person's own import jobs (nobody else's), without the rows still waiting in a queued job."""
    return ImportJob.objects.filter(user=user).defer("rows")


def documents_for(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(business__in=businesses_for(user))


def products_for(user: Any) -> QuerySet[Product]:
    return Product.objects.filter(business__in=businesses_for(user))


def figures_for(user: Any) -> QuerySet[AnnualFigures]:
    return AnnualFigures.objects.filter(business__in=businesses_for(user))


# "The latest figures of a business" means the row of its highest filed year; every reader goes through these.
LATEST_FIRST = "-year"


def latest_figures(business: Business | int) -> AnnualFigures | None:
    """The business's figures of its latest filed year, or None."""
    return AnnualFigures.objects.filter(business=business).order_by(LATEST_FIRST).first()


def latest_figures_each(figures: QuerySet[AnnualFigures]) -> QuerySet[AnnualFigures]:
    """Of these figures, only each business's latest filed year (one row per business)."""
    latest_year = AnnualFigures.objects.filter(business=OuterRef("business")).order_by(LATEST_FIRST).values("year")
    return figures.filter(year=Subquery(latest_year[:1]))


def scale_history(business: Business) -> list[YearScale]:
    """Per filed year (oldest first): both scales and whether the business graduated that year."""
    rows = business.figures.values_list("year", "annual_sales", "workforce", "operating_expenses", "capital")
    return history(FiguresRow(*row) for row in rows)


def scale_rank(field: str, bounds: dict[str, int]) -> Case:
    """The RANK of a scale rule, computed by the database from the same bounds as applicants.scale."""
    steps = (Scale.MICRO, Scale.SMALL, Scale.MEDIUM)
    return Case(
        *(When(**{f"{field}__lte": bounds[scale]}, then=Value(RANK[scale])) for scale in steps),
        default=Value(RANK[Scale.LARGE]),
        output_field=IntegerField(),
    )


def _graduation_rows(queryset: QuerySet[Business], years: range) -> QuerySet[AnnualFigures]:
    """The filed years (up to the last of `years`) in which a business of `queryset` moved up by either rule.

    The database ranks each filed year by both rules and compares it with the business's previous *filed* year
    (LAG over the business's years, as applicants.scale.history does in Python), so only the graduation rows leave
    it: at 200,000 businesses a few thousand rows instead of every filed year.
    """
    bps, pp7 = scale_rank("workforce", WORKFORCE_MAX), scale_rank("annual_sales", SALES_MAX)
    by_business, by_year = [F("business_id")], F("year").asc()
    return (
        AnnualFigures.objects.filter(business__in=queryset.values("pk"), year__lte=years.stop - 1)
        .annotate(bps=bps, pp7=pp7)
        .annotate(
            previous_bps=Window(Lag(bps), partition_by=by_business, order_by=by_year),  # type: ignore[arg-type]
            previous_pp7=Window(Lag(pp7), partition_by=by_business, order_by=by_year),  # type: ignore[arg-type]
        )
        # A first filed year has no previous.
        .filter(Q(bps__gt=F("previous_bps")) | Q(pp7__gt=F("previous_pp7")))
        .order_by()
    )


def graduation_events(queryset: QuerySet[Business], years: range) -> Iterator[tuple[int, int, bool, bool]]:
    """(business id, year, graduated by BPS, graduated by PP 7/2021) for each year in `years` in which a business
    of `queryset` graduated (one query)."""
    rows = _graduation_rows(queryset, years).values_list(  # type: ignore[misc]  # annotated names
        "business_id", "year", "bps", "previous_bps", "pp7", "previous_pp7"
    )
    for business_id, year, bps, previous_bps, pp7, previous_pp7 in rows:
        if year in years:
            yield business_id, year, bps > previous_bps, pp7 > previous_pp7  # both previous set: see the filter


def graduated_businesses(queryset: QuerySet[Business], years: range) -> QuerySet[Business]:
    """The businesses of `queryset` with a graduation up to the last of `years` (a subquery: annotate and read them
    in one more query, whatever their number)."""
    return Business.objects.filter(pk__in=_graduation_rows(queryset, years).values("business_id"))


def graduations(queryset: QuerySet[Business], years: range) -> dict[int, dict[str, int]]:
    """Per year in `years`: how many businesses graduated by BPS and by PP 7/2021 (one query for all)."""
    counts: dict[int, dict[str, int]] = {year: {"bps": 0, "pp7": 0, "any": 0} for year in years}
    for _business, year, bps_up, pp7_up in graduation_events(queryset, years):
        counts[year]["bps"] += int(bps_up)
        counts[year]["pp7"] += int(pp7_up)
        counts[year]["any"] += 1
    return counts


def with_latest_figures(queryset: QuerySet[Business]) -> QuerySet[Business]:
    """Annotate latest_year, latest_sales and latest_workforce (Subqueries of the latest filed year)."""
    latest = AnnualFigures.objects.filter(business=OuterRef("pk")).order_by(LATEST_FIRST)
    return queryset.annotate(
        latest_year=Subquery(latest.values("year")[:1]),
        latest_sales=Subquery(latest.values("annual_sales")[:1]),
        latest_expenses=Subquery(latest.values("operating_expenses")[:1]),
        latest_workforce=Subquery(latest.values("workforce")[:1]),
    )


def _filter_pp7_scale(queryset: QuerySet[Business], scale: str) -> QuerySet[Business]:
    """Businesses whose latest sales (annotated by with_latest_figures) fall in a PP 7/2021 scale."""
    above = {Scale.SMALL: Scale.MICRO, Scale.MEDIUM: Scale.SMALL, Scale.LARGE: Scale.MEDIUM}
    conditions: dict[str, int] = {}
    if scale in above:
        conditions["latest_sales__gt"] = SALES_MAX[above[Scale(scale)]]
    if scale in SALES_MAX:
        conditions["latest_sales__lte"] = SALES_MAX[Scale(scale)]
    return queryset.filter(**conditions) if conditions else queryset


def registry_search(
    user: Any,
    *,
    q: str = "",
    region: Any = None,
    sector: str = "",
    scale: str = "",
) -> QuerySet[Business]:
    """The registry filtered: q matches name, NIB or a product's name; scale is PP 7/2021 on the latest figures."""
    queryset = with_latest_figures(businesses_for(user)).select_related("region", "owner")
    q = (q or "").strip()
    if q:
        product_match = Product.objects.filter(business=OuterRef("pk"), name__icontains=q)
        queryset = queryset.filter(Q(name__icontains=q) | Q(nib__icontains=q) | Exists(product_match))
    if region:
        queryset = queryset.filter(Q(region_id=region) | Q(region__parent_id=region))
    if sector:
        queryset = queryset.filter(sector=sector)
    if scale:
        queryset = _filter_pp7_scale(queryset, scale)
    return queryset.annotate(product_count=Count("products", distinct=True)).order_by("name", "id")


@dataclass(frozen=True)
class Completeness:
    business: bool
    figures: bool
    products: bool
    documents: bool
    # A product whose ingredient has no valid halal evidence leaves the products step open (issue 19, item 16).
    doubtful_ingredients: bool = False
    # Every applicant needs a halal supervisor on record (UU 33/2014 Ps 24(c)); a micro or small business's owner
    # may act as one (PP 42/2024), a medium or large one (PP 7/2021, latest sales) appoints one.
    supervisor_missing: bool = False

    @property
    def steps(self) -> list[tuple[str, bool]]:
        return [
            ("business", self.business),
            ("figures", self.figures),
            ("products", self.products),
            ("documents", self.documents),
        ]

    @property
    def done(self) -> int:
        return sum(done for _name, done in self.steps)

    @property
    def percent(self) -> int:
        return self.done * 100 // len(self.steps)

    @property
    def complete(self) -> bool:
        return self.done == len(self.steps)


def _completeness_flags() -> dict[str, Any]:
    # An exemption claim waits for the assistant's confirmation on site; it does not keep the profile incomplete.
    doubtful = Ingredient.objects.filter(
        Ingredient.doubtful_q(timezone.localdate()), exempt_claim=False, product__business=OuterRef("pk")
    )
    return {
        "has_figures": Exists(AnnualFigures.objects.filter(business=OuterRef("pk"))),
        "has_products": Exists(Product.objects.filter(business=OuterRef("pk"), ingredients__isnull=False)),
        "has_doubtful": Exists(doubtful),
        "has_supervisor": Exists(Person.objects.filter(business=OuterRef("pk"), role=Person.Role.SUPERVISOR)),
        "has_nib_document": Exists(Document.objects.filter(business=OuterRef("pk"), kind=Document.Kind.NIB)),
    }


def with_completeness(queryset: QuerySet[Business]) -> QuerySet[Business]:
    """Annotate the flags `business_completeness` reads, so a list of businesses costs one query."""
    return queryset.annotate(**_completeness_flags())


def owned_with_completeness(user: Any) -> list[tuple[Business, Completeness]]:
    """The user's businesses with their onboarding completeness (the owner's home), kept until one of them changes.

    Issue 34: compiling and running the five EXISTS of `with_completeness` was most of the owner's home. Everything
    the flags read is part of each business's dossier (figures, products and ingredients, people, documents: every
    write moves `dossier:<id>`, applicants.dossier.generation), of the reference data (the positive list) or of the
    day (an ingredient's certificate expires); the key holds all of them and the ids of the businesses the owner has
    now (one cheap query), so a new, removed or transferred business shows at once."""
    ids = list(businesses_owned_by(user).values_list("pk", flat=True))
    if not ids:
        return []
    version = generations.current([*(f"dossier:{pk}" for pk in ids), REFERENCE])
    key = f"owner-businesses:{user.pk}:{timezone.localdate()}:{'.'.join(map(str, ids))}:{version}"
    rows: list[tuple[Business, Completeness]] | None = cache.get(key)
    if rows is None:
        rows = [(b, business_completeness(b)) for b in with_completeness(Business.objects.filter(pk__in=ids))]
        cache.set(key, rows, settings.LIVE_CHANGES_SECONDS)
    return rows


def business_completeness(business: Business) -> Completeness:
    """The onboarding steps done: business record, at least one year of figures, a product with ingredients, the
    NIB document. Certification's "complete profile" requirement reads `.complete`. Uses the annotations of
    `with_completeness` when present, else asks the database (one query)."""
    if not hasattr(business, "has_figures"):
        flags: dict[str, Any] = dict(Business.objects.filter(pk=business.pk).values(**_completeness_flags()).get())
    else:
        names = ("has_figures", "has_products", "has_doubtful", "has_supervisor")
        flags = {name: getattr(business, name) for name in (*names, "has_nib_document")}
    supervisor_missing = not flags["has_supervisor"]
    return Completeness(
        business=bool(business.pk) and not supervisor_missing,
        supervisor_missing=supervisor_missing,
        figures=bool(flags["has_figures"]),
        products=bool(flags["has_products"]) and not flags["has_doubtful"],
        documents=bool(flags["has_nib_document"]),
        doubtful_ingredients=bool(flags["has_doubtful"]),
    )


def regions_search(*, q: str = "", province: str = "", code: str = "", kind: str = "") -> QuerySet[Region]:
    """Provinces, regencies and cities by name, province code, exact code and kind, in code order."""
    queryset = Region.objects.select_related("parent").order_by("code")
    q, province, code, kind = q.strip()[:100], province.strip()[:2], code.strip()[:4], kind.strip()
    if q:
        queryset = queryset.filter(name__icontains=q)
    if province:
        queryset = queryset.filter(code__startswith=province)
    if code:
        queryset = queryset.filter(code=code)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def permits_for(user: Any) -> QuerySet[DistributionPermit]:
    """The distribution permits a user may read: of the businesses they may read."""
    return DistributionPermit.objects.filter(product__business__in=businesses_for(user))


def doubtful_ingredients(business: Business) -> list[Ingredient]:
    """The business's ingredients classified doubtful today, with their products (one query)."""
    today = timezone.localdate()
    rows = Ingredient.objects.filter(Ingredient.doubtful_q(today), product__business=business).select_related(
        "product", "positive_list_entry"
    )
    return list(rows.order_by("product__name", "id"))


def positive_list_search(query: str, *, limit: int = 20) -> list[PositiveListEntry]:
    """Active positive-list entries whose name contains every word typed (what the owner picks from)."""
    entries = PositiveListEntry.objects.filter(active=True)
    for word in str(query or "").split()[:5]:
        entries = entries.filter(name__icontains=word[:40])
    return list(entries.order_by("name")[:limit])
