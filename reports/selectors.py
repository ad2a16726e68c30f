"""One function per dashboard figure; each is a fixed number of SQL aggregations (no per-row loops over big tables).

Certificates are counted from the certificates table (issue date, regency and sector snapshots), never through the
applications and their events: at five million applications that join cost seconds (bench/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.models import AnnualFigures, Business, Region
from applicants.selectors import graduation_events, latest_figures_each
from certification import selectors as cert_selectors
from certification.models import (
    Application,
    ApplicationState,
    Certificate,
    CompositionCheck,
    Pathway,
    SehatiQuota,
)
from certification.workflow import table as wf
from core.calendar import days as cal
from fees.models import FeeSchedule
from fees.simulation import SimulationResult, fee_simulate
from training import selectors as training_selectors
from training.models import Enrollment, FollowUp, Program

ISSUED = ApplicationState.ISSUED


@dataclass(frozen=True)
class Period:
    """Inclusive dates in Asia/Jakarta and an optional region (a regency/city, or a province and its regencies)."""

    start: dt.date
    end: dt.date
    region: Region | None = None

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))


def region_q(region: Region | None, prefix: str) -> Q:
    if region is None:
        return Q()
    return Q(**{f"{prefix}region_id": region.pk}) | Q(**{f"{prefix}region__parent_id": region.pk})


def applications_by_state(period: Period) -> list[dict[str, Any]]:
    """Applications created in the period, per state and pathway: [{state, pathway, n}]."""
    rows = (
        Application.objects.filter(region_q(period.region, "business__"))
        .filter(created_at__gte=period.start_at, created_at__lt=period.end_before)
        .order_by()
        .values("state", "pathway")
        .annotate(n=Count("*"))  # an index-only scan of app_created_cover_idx
    )
    counts = {(r["state"], r["pathway"]): r["n"] for r in rows}
    return [
        {"state": state, "label": label, "by_pathway": {p: counts.get((state, p), 0) for p in Pathway.values}}
        for state, label in ApplicationState.choices
        if any(counts.get((state, p)) for p in Pathway.values)
    ]


def overdue_by_stage(period: Period, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Open applications past their stage's due date today, per stage (the period does not apply: it is now)."""
    today = today or cal.today()
    rows = overdue_cases(period, today).order_by().values("state").annotate(n=Count("*"))  # index-only (state, due_on)
    counts = {r["state"]: r["n"] for r in rows}
    return [{"state": s, "label": label, "n": counts[s]} for s, label in ApplicationState.choices if s in counts]


def overdue_cases(period: Period, today: dt.date | None = None) -> QuerySet[Application]:
    today = today or cal.today()
    return (
        Application.objects.filter(region_q(period.region, "business__"))
        .filter(state__in=wf.OPEN_STATES, due_on__lt=today)
        .select_related("business", "business__region")
        .order_by("due_on", "id")
    )


def overdue_by_region(period: Period, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Open applications overdue today per regency/city: [{code, name, n, oldest_due_on}], most overdue first."""
    return list(
        overdue_cases(period, today)
        .order_by()
        .values(code=F("business__region__code"), name=F("business__region__name"))
        .annotate(n=Count("pk"), oldest_due_on=Min("due_on"))
        .order_by("-n", "code")
    )


def certificate_counts(period: Period) -> list[tuple[dt.datetime, str, str, int]]:
    """Certificates issued in the period as (month, regency code, sector, n): one index-only scan of the
    certificates' (issued_at, region_code, sector) index, whatever the number of applications and events. Month,
    regency and sector charts all sum these rows; a certificate is counted once, at its first issue (a revision for
    a product development keeps the certificate; a renewal is a new one)."""
    queryset = Certificate.objects.filter(issued_at__gte=period.start_at, issued_at__lt=period.end_before)
    if period.region is not None:
        code = period.region.code
        queryset = (
            queryset.filter(region_code=code)
            if period.region.parent_id
            else queryset.filter(region_code__startswith=code)
        )
    rows = (
        queryset.annotate(month=TruncMonth("issued_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("month", "region_code", "sector")
        .annotate(n=Count("*"))  # COUNT(*), not COUNT(id): the id is not in the index, and would need the table
    )
    return list(rows)


def certificates_per_month(
    period: Period, counts: list[tuple[Any, str, str, int]] | None = None
) -> list[dict[str, Any]]:
    """Per month, in the reader's language ("Des 2026", "Dec 2026"): an axis label inside an Indonesian page."""
    totals: dict[dt.date, int] = {}
    for month, _code, _sector, n in certificate_counts(period) if counts is None else counts:
        first = dt.date(month.year, month.month, 1)
        totals[first] = totals.get(first, 0) + n
    return [{"label": date_format(month, "M Y"), "n": totals[month]} for month in sorted(totals)]


def certificates_per_regency(
    period: Period, counts: list[tuple[Any, str, str, int]] | None = None
) -> list[dict[str, Any]]:
    totals: dict[str, int] = {}
    for _month, code, _sector, n in certificate_counts(period) if counts is None else counts:
        totals[code] = totals.get(code, 0) + n
    names = dict(Region.objects.filter(code__in=list(totals)).values_list("code", "name"))
    ordered = sorted(totals, key=lambda code: (-totals[code], code))
    return [{"label": names.get(code, code), "n": totals[code]} for code in ordered]


def certificates_per_province(
    period: Period, counts: list[tuple[Any, str, str, int]] | None = None
) -> list[dict[str, Any]]:
    """The national view: 38 provinces, not 514 regencies (a chart of 514 bars says nothing, and drew 20 pages of
    the national monthly PDF). The regency codes begin with their province's code."""
    totals: dict[str, int] = {}
    for _month, code, _sector, n in certificate_counts(period) if counts is None else counts:
        totals[code[:2]] = totals.get(code[:2], 0) + n
    names = dict(Region.objects.filter(code__in=list(totals), parent__isnull=True).values_list("code", "name"))
    ordered = sorted(totals, key=lambda code: (-totals[code], code))
    return [{"label": names.get(code, code), "n": totals[code]} for code in ordered]


def overdue_by_province(period: Period, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Open applications overdue today per province (the national monthly report): [{code, name, n, oldest_due_on}]."""
    return list(
        overdue_cases(period, today)
        .order_by()
        .values(code=F("business__region__parent__code"), name=F("business__region__parent__name"))
        .annotate(n=Count("*"), oldest_due_on=Min("due_on"))
        .order_by("-n", "code")
    )


def certificates_per_sector(
    period: Period, counts: list[tuple[Any, str, str, int]] | None = None
) -> list[dict[str, Any]]:
    totals: dict[str, int] = {}
    for _month, _code, sector, n in certificate_counts(period) if counts is None else counts:
        totals[sector] = totals.get(sector, 0) + n
    labels = dict(Business.Sector.choices)
    ordered = sorted(totals, key=lambda sector: (-totals[sector], sector))
    return [{"label": str(labels.get(sector, sector)), "n": totals[sector]} for sector in ordered]


def sehati_quota(period: Period, year: int | None = None) -> dict[str, Any]:
    """Places and use of the year's Sehati quotas (the region's own, or every pool without a region filter)."""
    year = year or timezone.localdate().year
    quotas = SehatiQuota.objects.filter(year=year)
    if period.region is not None:
        quotas = quotas.filter(Q(region_id=period.region.pk) | Q(region__parent_id=period.region.pk))
    totals = quotas.aggregate(places=Sum("places"), used=Sum("used"))
    places, used = totals["places"] or 0, totals["used"] or 0
    return {"year": year, "places": places, "used": used, "left": max(places - used, 0)}


def sehati_pools(period: Period, year: int) -> list[dict[str, Any]]:
    """The year's pools (the region's, or all without a region filter): places, used, left, share used."""
    rows = [
        pool
        for pool in cert_selectors.sehati_pools(year=year)
        if period.region is None
        or (pool["region"] is not None and pool["region"]["code"].startswith(period.region.code))
    ]
    return [
        {
            "name": pool["region"]["name"] if pool["region"] else str(_("National pool")),
            "places": pool["places"],
            "used": pool["used"],
            "left": max(pool["places"] - pool["used"], 0),
            "percent": round(100 * pool["used"] / pool["places"], 1) if pool["places"] else 0,
            "cutover": pool["cutover"],
        }
        for pool in rows
    ]


def training_coverage(period: Period) -> dict[str, Any]:
    """Per program ending in the period: attended participants (of the region) and those with a done follow-up.

    One aggregate grouped by program id alone (a hash aggregate; grouping by title as well sorted 750,000 rows on
    disk at national size), the titles looked up once for the programs found."""
    # An uncorrelated IN: PostgreSQL hashes the followed-up enrolments once (a correlated EXISTS per row cost 2.8 s).
    done = FollowUp.objects.filter(done_on__isnull=False).values("enrollment_id")
    rows = list(
        Enrollment.objects.filter(region_q(period.region, "business__"))
        .filter(program__end_date__gte=period.start, program__end_date__lte=period.end, attended=True)
        .order_by()
        .values("program_id")
        .annotate(attended=Count("pk"), covered=Count("pk", filter=Q(pk__in=done)))
        .values_list("program_id", "attended", "covered")
    )
    titles = dict(
        Program.objects.filter(end_date__gte=period.start, end_date__lte=period.end).values_list("pk", "title")
    )
    programs = sorted(
        (
            {"id": pk, "label": titles.get(pk, ""), "attended": attended, "covered": covered}
            for pk, attended, covered in rows
        ),
        key=lambda p: (p["label"], p["id"]),
    )
    attended_total = sum(p["attended"] for p in programs)
    covered = sum(p["covered"] for p in programs)
    return {
        "programs": programs,
        "attended": attended_total,
        "covered": covered,
        "percent": percent(covered, attended_total),
    }


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def programs_lacking_follow_up(period: Period, today: dt.date | None = None) -> QuerySet[Program]:
    """Programs lacking follow-up as of the period's last day (or today, within the current month): the training
    selector the officer's dashboard uses, limited to the period's region."""
    as_of = today or min(period.end, timezone.localdate())
    return training_selectors.programs_lacking_follow_up(
        today=as_of, region_id=period.region.pk if period.region is not None else None
    )


def latest_figures_rows(region: Region | None = None) -> Iterator[tuple[int, int]]:
    """(annual sales, operating expenses) of each business's latest filed year, streamed from one query."""
    rows = (
        latest_figures_each(AnnualFigures.objects.filter(region_q(region, "business__")))
        .order_by()
        .values_list("annual_sales", "operating_expenses")
    )
    return rows.iterator(chunk_size=2000)


def fee_ratio_distribution(
    schedules: list[FeeSchedule], region: Region | None = None, threshold: Decimal = Decimal("2.5")
) -> list[SimulationResult]:
    return fee_simulate(figures=latest_figures_rows(region), schedules=schedules, threshold_percent=threshold)


def graduation_events_of(period: Period) -> list[tuple[int, int, Any, Any]]:
    """(business, year, scale before, scale after) of each graduation in the period's years: reads the business
    figures only, so the dashboard keeps it while only cases or trainings change."""
    years = range(period.start.year, period.end.year + 1)
    return list(graduation_events(Business.objects.filter(region_q(period.region, "")), years))


def graduation_split(period: Period, events: list[tuple[int, int, Any, Any]] | None = None) -> list[dict[str, Any]]:
    """Graduations per year of the period, split by certified (an issued application) and trained (attended).

    Two queries: the graduation events, then the certified/trained flags of the graduated businesses only (testing
    every filed year of every business for both would cost two index probes per row: ~1.4 s at 200,000 businesses).
    """
    years = range(period.start.year, period.end.year + 1)
    businesses = Business.objects.filter(region_q(period.region, ""))
    if events is None:
        events = graduation_events_of(period)
    flags: dict[int, tuple[bool, bool]] = {}
    if events:
        # By id: the graduated businesses are already known (a subquery would compute every history again).
        graduated = sorted({business_id for business_id, *_rest in events})
        flagged = businesses.filter(pk__in=graduated).annotate(
            certified=Exists(Application.objects.filter(business=OuterRef("pk"), state=ISSUED)),
            trained=Exists(Enrollment.objects.filter(business=OuterRef("pk"), attended=True)),
        )
        flags = {
            pk: (certified, trained) for pk, certified, trained in flagged.values_list("pk", "certified", "trained")
        }
    counts = {(year, c, t): 0 for year in years for c in (True, False) for t in (True, False)}
    for business_id, year, _bps, _pp7 in events:
        counts[(year, *flags[business_id])] += 1
    return [
        {
            "year": year,
            "certified_trained": counts[(year, True, True)],
            "certified_untrained": counts[(year, True, False)],
            "uncertified_trained": counts[(year, False, True)],
            "uncertified_untrained": counts[(year, False, False)],
        }
        for year in years
    ]


def composition_check_counts(period: Period, today: dt.date | None = None) -> dict[str, int]:
    """The yearly composition confirmations of the period's anniversaries: confirmed, changed, waiting, overdue (one
    aggregate query; the same statuses as the task force's list,
    certification.aftercare.selectors.composition_checks_for)."""
    today = today or cal.today()
    overdue_from = today - dt.timedelta(days=settings.COMPOSITION_CHECK_OVERDUE_DAYS)
    queryset = CompositionCheck.objects.filter(
        region_q(period.region, "certificate__application__business__"),
        anniversary__gte=period.start,
        anniversary__lte=period.end,
    )
    open_ = Q(answered_at__isnull=True)
    return queryset.aggregate(
        confirmed=Count("pk", filter=Q(answer=CompositionCheck.Answer.UNCHANGED)),
        changed=Count("pk", filter=Q(answer=CompositionCheck.Answer.CHANGED)),
        waiting=Count("pk", filter=open_ & Q(anniversary__gt=overdue_from)),
        overdue=Count("pk", filter=open_ & Q(anniversary__lte=overdue_from)),
    )
