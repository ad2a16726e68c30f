"""Every figure of the dashboard for one period, with its chart: shared by the page, the SVG endpoint and the PDF."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certification.models import Pathway
from core import generations
from core.calendar import days as cal
from core.tasks import enqueue_on_commit
from fees.models import FeeSchedule
from fees.simulation import SimulationResult
from reports import selectors as s
from reports.charts import Chart, simple

CHART_NAMES = (
    "applications",
    "overdue",
    "certificates-month",
    "certificates-regency",
    "certificates-sector",
    "quota",
    "coverage",
    "fee-ratio",
    "graduation",
)


def bin_label(lower: Decimal, upper: Decimal | None) -> str:
    return f"{lower}–{upper}%" if upper is not None else f"≥ {lower}%"


def histogram_chart(result: SimulationResult, title: str) -> Chart:
    return Chart(
        title=title,
        columns=[_("R (fee / gross income)"), _("Businesses")],
        rows=[[bin_label(b.lower, b.upper), b.count] for b in result.histogram],
    )


@dataclass
class Figure:
    name: str
    chart: Chart
    extra: dict[str, Any]
    # Set on a national aggregate served from its last computation while the worker computes it again.
    updating: bool = False


def chart_for(name: str, period: s.Period, schedule: FeeSchedule | None) -> Figure:
    """One figure by name (the SVG endpoint computes only the chart it serves)."""
    builder = BUILDERS[name]
    return builder(period, schedule)


def _applications(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    rows = s.applications_by_state(period)
    pathways = list(Pathway.choices)
    chart = Chart(
        title=_("Applications by state and pathway"),
        columns=[_("State"), *[str(label) for _value, label in pathways]],
        rows=[[str(r["label"]), *[r["by_pathway"][p] for p, _label in pathways]] for r in rows],
        kind="stacked",
    )
    return Figure("applications", chart, {"total": sum(sum(r["by_pathway"].values()) for r in rows)})


def _overdue(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    rows = s.overdue_by_stage(period)
    chart = simple(_("Overdue cases by stage"), _("Stage"), _("Cases"), rows, kind="hbar")
    return Figure("overdue", chart, {"total": sum(r["n"] for r in rows)})


def _shared(name: str, reads: tuple[str, ...], period: s.Period, compute: Any) -> Any:
    """A part several figures (or a figure and several kinds of change) share, cached under the generations of what
    it reads alone: the three certificate charts read one aggregate; graduation's events read the business figures
    only, so a new certificate recomputes the certified flags, not every business's history."""
    key = ":".join(
        [
            f"dashboard-{name}",
            period.start.isoformat(),
            period.end.isoformat(),
            str(period.region.pk if period.region is not None else 0),
            generations.current(reads),
        ]
    )
    value = cache.get(key)
    if value is None:
        value = compute(period)
        cache.set(key, value, settings.DASHBOARD_CACHE_SECONDS)
    return value


def _certificate_counts(period: s.Period) -> list[tuple[Any, str, str, int]]:
    return list(_shared("certificates", ("certificates",), period, s.certificate_counts))


def _cert_month(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    rows = s.certificates_per_month(period, _certificate_counts(period))
    chart = simple(_("Certificates issued per month"), _("Month"), _("Certificates"), rows)
    return Figure("certificates-month", chart, {"total": sum(r["n"] for r in rows)})


def _cert_regency(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    if period.region is None:  # the whole country: per province (38 bars), a province or regency: per regency
        rows = s.certificates_per_province(period, _certificate_counts(period))
        chart = simple(_("Certificates per province"), _("Province"), _("Certificates"), rows, kind="hbar")
        return Figure("certificates-regency", chart, {})
    rows = s.certificates_per_regency(period, _certificate_counts(period))
    return Figure(
        "certificates-regency",
        simple(_("Certificates per regency/city"), _("Regency/city"), _("Certificates"), rows, kind="hbar"),
        {},
    )


def _cert_sector(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    rows = s.certificates_per_sector(period, _certificate_counts(period))
    return Figure(
        "certificates-sector",
        simple(_("Certificates per sector"), _("Sector"), _("Certificates"), rows, kind="hbar"),
        {},
    )


def _quota(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    """Each pool on its own bar (share used), so a 3,000-place region is not flattened by a 1.35 M national pool."""
    quota = s.sehati_quota(period)
    pools = s.sehati_pools(period, quota["year"])
    chart = Chart(
        title=_("Sehati quota %(year)s: share of places used per pool (%%)") % {"year": quota["year"]},
        columns=[_("Pool"), _("Used (%)")],
        rows=[[pool["name"], pool["percent"]] for pool in pools],
        kind="hbar",
    )
    return Figure("quota", chart, {**quota, "pools": pools})


# A province's month has a handful of programs; a national one thousands. A chart (and the PDF's table) of
# thousands of bars says nothing, so it shows the programs with the most participants not followed up.
COVERAGE_BARS = 20


def _coverage(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    coverage = s.training_coverage(period)
    programs = coverage["programs"]
    title = _("Training follow-up coverage")
    if len(programs) > COVERAGE_BARS:
        programs = sorted(programs, key=lambda p: (p["covered"] - p["attended"], p["label"], p["id"]))[:COVERAGE_BARS]
        title = _(
            "Training follow-up coverage: the %(shown)s programs (of %(total)s) with the most participants "
            "not followed up"
        ) % {"shown": COVERAGE_BARS, "total": len(coverage["programs"])}
    chart = Chart(
        title=title,
        columns=[_("Program"), _("Attended"), _("Followed up")],
        rows=[[p["label"], p["attended"], p["covered"]] for p in programs],
    )
    return Figure("coverage", chart, coverage)


def _fee_ratio(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    if schedule is None:
        return Figure("fee-ratio", Chart(title=_("Fee ratio R"), columns=[_("R"), _("Businesses")]), {})
    result = s.fee_ratio_distribution([schedule], region=period.region)[0]
    title = _("Fee ratio R under %(schedule)s") % {"schedule": schedule.display_name}
    return Figure("fee-ratio", histogram_chart(result, title), {"result": result})


def _graduation(period: s.Period, schedule: FeeSchedule | None) -> Figure:
    rows = s.graduation_split(period, _shared("graduation-events", ("figures",), period, s.graduation_events_of))
    chart = Chart(
        title=_("Graduations per year"),
        columns=[
            _("Year"),
            _("Certified and trained"),
            _("Certified, not trained"),
            _("Trained, not certified"),
            _("Neither"),
        ],
        rows=[
            [
                r["year"],
                r["certified_trained"],
                r["certified_untrained"],
                r["uncertified_trained"],
                r["uncertified_untrained"],
            ]
            for r in rows
        ],
        kind="stacked",
    )
    return Figure("graduation", chart, {})


BUILDERS = {
    "applications": _applications,
    "overdue": _overdue,
    "certificates-month": _cert_month,
    "certificates-regency": _cert_regency,
    "certificates-sector": _cert_sector,
    "quota": _quota,
    "coverage": _coverage,
    "fee-ratio": _fee_ratio,
    "graduation": _graduation,
}


def all_figures(period: s.Period, schedule: FeeSchedule | None) -> list[Figure]:
    """Every figure computed now (the monthly report), except those that do not depend on the period, which are
    taken from the cache when nothing they read has changed since they were computed."""
    return [
        current_figure(name, period, schedule) if name in PERIOD_FREE else chart_for(name, period, schedule)
        for name in CHART_NAMES
    ]


def current_figure(name: str, period: s.Period, schedule: FeeSchedule | None) -> Figure:
    """The figure as of now: the cached one if nothing it reads has changed since, never a stale one."""
    figure = cache.get(_cache_key(name, period, schedule))
    if figure is not None:
        return figure  # type: ignore[no-any-return]
    return figure_refresh(name, period, schedule)


# What each figure reads, as cache generations (reports/apps.py bumps them when those rows change).
GENERATIONS = {
    "applications": ("cases",),
    "overdue": ("cases",),
    "certificates-month": ("certificates",),
    "certificates-regency": ("certificates",),
    "certificates-sector": ("certificates",),
    "quota": ("cases",),
    "coverage": ("training",),
    "fee-ratio": ("figures", "fees"),
    "graduation": ("figures", "certificates", "training"),
    "compositions": ("compositions",),
}


# National aggregates over every business or participant (seconds at five million applications): after a change
# the page shows the last computation, marked as being updated, while a worker computes them again
# (reports.figure_refresh); the case figures, which change all day, are recomputed at once.
BACKGROUND = frozenset(
    {"certificates-month", "certificates-regency", "certificates-sector", "coverage", "fee-ratio", "graduation"}
)
REFRESH_LOCK_SECONDS = 300


# Figures that do not depend on the period (each business's latest filed year): one cache entry for every period,
# so the monthly report reuses what the dashboard (or its worker) computed since the last change.
PERIOD_FREE = frozenset({"fee-ratio"})


def _cache_key(name: str, period: s.Period, schedule: FeeSchedule | None, generation: str | None = None) -> str:
    region = period.region.pk if period.region is not None else 0
    free = name in PERIOD_FREE
    return ":".join(
        [
            "dashboard",
            name,
            get_language() or "",
            "any" if free else period.start.isoformat(),
            "any" if free else period.end.isoformat(),
            str(region),
            str(schedule.pk if schedule is not None else 0),
            cal.today().isoformat(),  # overdue counts move with the day
            generations.current(GENERATIONS[name]) if generation is None else generation,
        ]
    )


def _last_key(name: str, period: s.Period, schedule: FeeSchedule | None) -> str:
    """The figure's last computation, whatever has changed since."""
    return _cache_key(name, period, schedule, generation="last")


def figure_refresh(name: str, period: s.Period, schedule: FeeSchedule | None) -> Figure:
    """Compute one figure and keep it as current (under the generations read before computing: a change during
    the computation leaves it stale, and the next load asks again) and as the last computation."""
    generation = generations.current(GENERATIONS[name])
    figure = _light(chart_for(name, period, schedule))
    cache.set_many(
        {_cache_key(name, period, schedule, generation): figure, _last_key(name, period, schedule): figure},
        settings.DASHBOARD_CACHE_SECONDS,
    )
    cache.delete(_cache_key(name, period, schedule, "lock"))
    return figure


def _refresh_later(name: str, period: s.Period, schedule: FeeSchedule | None) -> None:
    if not cache.add(_cache_key(name, period, schedule, "lock"), 1, REFRESH_LOCK_SECONDS):
        return  # a worker is on it already
    enqueue_on_commit(
        "reports.refresh_figure",
        figure=name,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        region_id=period.region.pk if period.region is not None else None,
        schedule_id=schedule.pk if schedule is not None else None,
        language=get_language() or settings.LANGUAGE_CODE,
    )


def cached_compositions(period: s.Period) -> dict[str, int]:
    """The yearly-confirmation counts of the dashboard (a count over every certificate's anniversaries), cached the
    same way as the figures."""
    key = _cache_key("compositions", period, None)
    counts = cache.get(key)
    if counts is None:
        counts = s.composition_check_counts(period)
        cache.set(key, counts, settings.DASHBOARD_CACHE_SECONDS)
    return dict(counts)


def cached_svg(name: str, period: s.Period, schedule: FeeSchedule | None) -> str:
    """One chart's SVG, kept like its figure: drawing a chart of 500 regencies or 20 programs took 100-150 ms, on
    every dashboard load (the page's nine images)."""
    key = _cache_key(name, period, schedule) + ":svg"
    svg = cache.get(key)
    if svg is None:
        (figure,) = cached_figures([name], period, schedule)
        svg = figure.chart.svg()
        if not figure.updating:  # a stale chart is drawn again once the fresh figure is in
            cache.set(key, svg, settings.DASHBOARD_CACHE_SECONDS)
    return str(svg)


# Parts of a figure's extra that only the monthly PDF reads (every programme of a national year: thousands of rows,
# ~70 ms to unpickle on each dashboard hit). The page and the SVGs never read them.
HEAVY_EXTRA = ("programs", "result")


def _light(figure: Figure) -> Figure:
    return Figure(figure.name, figure.chart, {k: v for k, v in figure.extra.items() if k not in HEAVY_EXTRA})


def cached_figures(names: Iterable[str], period: s.Period, schedule: FeeSchedule | None) -> list[Figure]:
    """The figures for the dashboard page and its SVG charts: from the cache while nothing they read has changed
    (one cache round trip for all of them), otherwise computed and kept for DASHBOARD_CACHE_SECONDS. A change to the
    cases computes only the case figures again; the training and figures ones stay. The national aggregates
    (BACKGROUND) are served from their last computation, marked as updating, while a worker computes them."""
    names = list(names)
    keys = {name: _cache_key(name, period, schedule) for name in names}
    last = {name: _last_key(name, period, schedule) for name in names if name in BACKGROUND}
    found = cache.get_many([*keys.values(), *last.values()])
    figures, fresh = [], {}
    for name in names:
        figure = found.get(keys[name])
        if figure is None and name in last and found.get(last[name]) is not None:
            figure = replace(found[last[name]], updating=True)
            _refresh_later(name, period, schedule)
        elif figure is None:
            figure = _light(chart_for(name, period, schedule))
            fresh[keys[name]] = figure
            if name in last:
                fresh[last[name]] = figure
        figures.append(figure)
    if fresh:
        cache.set_many(fresh, settings.DASHBOARD_CACHE_SECONDS)
    return figures


def figure_refresh_by_ids(
    *, figure: str, start: str, end: str, region_id: int | None, schedule_id: int | None, language: str
) -> str:
    """The worker's entry: the period, region and schedule by their ids, in the language the page asked in."""
    import datetime as dt

    from django.utils import translation

    from applicants.models import Region

    region = Region.objects.filter(pk=region_id).first() if region_id else None
    schedule = FeeSchedule.objects.filter(pk=schedule_id).first() if schedule_id else None
    period = s.Period(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end), region=region)
    with translation.override(language):
        figure_refresh(figure, period, schedule)
    return figure
