"""Fee services: quotes (read-only, other apps call `fee_quote`), simulations and the writes of schedules."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import DomainError
from fees.models import Basis, FeeSchedule, FeeTier
from fees.quotes import (
    AFFORDABILITY_THRESHOLD,
    AFFORDABLE,
    BURDENSOME,
    MAX_CATEGORIES,
    PATHWAYS,
    REGULAR,
    SELF_DECLARE,
    UNDEFINED,
    Quote,
    affordability_of,
    quote_with,
    ratio_percent,
)
from fees.selectors import ScheduleData, cached_schedules, schedules_in_effect
from fees.simulation import HistogramBin, SimulationResult, fee_simulate
from fees.validation import TierSpec, tier_problems

__all__ = [
    "AFFORDABILITY_THRESHOLD",
    "AFFORDABLE",
    "BURDENSOME",
    "MAX_CATEGORIES",
    "PATHWAYS",
    "REGULAR",
    "SELF_DECLARE",
    "UNDEFINED",
    "HistogramBin",
    "Quote",
    "SimulationResult",
    "TierSpec",
    "affordability_of",
    "fee_quote",
    "fee_quotes_all",
    "fee_schedule_create",
    "fee_schedule_replace_tiers",
    "fee_simulate",
    "ratio_percent",
    "resolve_schedule",
]


def _today() -> datetime.date:
    return timezone.localdate()


def _check_amount(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise DomainError(_("Enter a whole number of rupiah."), errors={name: [_("Enter a whole number of rupiah.")]})
    return value


def _check_renewal(value: Any) -> bool:
    if not isinstance(value, bool):
        message = _("Say whether this is a renewal with true or false.")
        raise DomainError(message, errors={"renewal": [message]})
    return value


def _check_categories(value: Any) -> tuple[str, ...]:
    """A list of product category codes (at most MAX_CATEGORIES); the codes themselves are checked by the quote."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        message = _("Give the product categories as a list of category codes.")
        raise DomainError(message, errors={"categories": [message]})
    codes = tuple(value)
    if len(codes) > MAX_CATEGORIES:
        message = _("Give at most %(max)s product categories.") % {"max": MAX_CATEGORIES}
        raise DomainError(message, errors={"categories": [message]})
    if not all(isinstance(code, str) for code in codes):
        message = _("Give the product categories as a list of category codes.")
        raise DomainError(message, errors={"categories": [message]})
    return codes


def resolve_schedule(schedule_slug: str | None, on_date: datetime.date) -> ScheduleData:
    """The schedule a quote uses: the given slug (its version in effect on the date) or the default in effect."""
    if schedule_slug is None:
        for schedule in schedules_in_effect(on_date):
            if schedule.is_default:
                return schedule
        raise DomainError(_("No default fee schedule is in effect on %(date)s.") % {"date": on_date.isoformat()})
    versions = [s for s in cached_schedules() if s.slug == schedule_slug and s.active]
    if not versions:
        message = _("Unknown fee schedule “%(slug)s”.") % {"slug": schedule_slug}
        raise DomainError(message, errors={"schedule": [message]})
    in_effect = [s for s in versions if s.in_effect_on(on_date)]
    if not in_effect:
        message = _("The fee schedule “%(slug)s” is not in effect on %(date)s.") % {
            "slug": schedule_slug,
            "date": on_date.isoformat(),
        }
        raise DomainError(message, errors={"schedule": [message]})
    return max(in_effect, key=lambda s: s.version)


def fee_quote(
    *,
    annual_sales: int,
    operating_expenses: int,
    schedule_slug: str | None = None,
    pathway: str = "regular",
    on_date: datetime.date | None = None,
    renewal: bool = False,
    categories: Iterable[str] = (),
) -> Quote:
    """Quote the fee for a business's annual figures (whole rupiah). Reads a cached snapshot; writes nothing.

    `renewal`: the application renews a certificate (the renewal service fee replaces registration);
    `categories`: the product categories (fees.models.ExaminationCategory) whose highest LPH examination cap applies
    to a medium or large business. Self-declare is refused for a business that is not micro or small.
    """
    _check_amount("annual_sales", annual_sales)
    _check_amount("operating_expenses", operating_expenses)
    renewal = _check_renewal(renewal)
    codes = _check_categories(categories)
    on_date = on_date or _today()
    schedule = resolve_schedule(schedule_slug, on_date)
    return _quote_memo(schedule, annual_sales, operating_expenses, pathway, renewal, codes, on_date)


# Budget: fee quote >= 0.9x a bare DRF view (bench/RESULTS.md). A quote is a pure function of the frozen schedule
# snapshot and the figures (quote_with), worded in the active language; the calculator sends the same few figures
# again and again (each keystroke, each visitor of a campaign), so the last MEMO_SIZE answers are kept per process.
# A new schedule snapshot is a new object (fees.selectors.cached_schedules), so a changed schedule is never served
# from the memo: the entry holds its schedule and is used only for that very object.
MEMO_SIZE = 512
_memo: OrderedDict[tuple[Any, ...], tuple[ScheduleData, Quote]] = OrderedDict()
_memo_lock = threading.Lock()


def _quote_memo(
    schedule: ScheduleData,
    annual_sales: int,
    operating_expenses: int,
    pathway: str,
    renewal: bool,
    codes: tuple[str, ...],
    on_date: datetime.date,
) -> Quote:
    key = (id(schedule), get_language(), annual_sales, operating_expenses, pathway, renewal, codes, on_date)
    hit = _memo.get(key)
    if hit is not None and hit[0] is schedule:
        return hit[1]
    quote = quote_with(
        schedule,
        annual_sales=annual_sales,
        operating_expenses=operating_expenses,
        pathway=pathway,
        renewal=renewal,
        categories=codes,
        on_date=on_date,
    )
    with _memo_lock:
        _memo[key] = (schedule, quote)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return quote


def fee_quotes_all(
    *,
    annual_sales: int,
    operating_expenses: int,
    on_date: datetime.date | None = None,
    pathway: str = "regular",
    renewal: bool = False,
    categories: Iterable[str] = (),
) -> list[tuple[ScheduleData, Quote]]:
    """A quote under every active schedule in effect on the date, the default first (the calculator)."""
    _check_amount("annual_sales", annual_sales)
    _check_amount("operating_expenses", operating_expenses)
    renewal = _check_renewal(renewal)
    codes = _check_categories(categories)
    result = []
    on_date = on_date or _today()
    for schedule in schedules_in_effect(on_date):
        basis_value = annual_sales if schedule.basis == Basis.ANNUAL_SALES else annual_sales - operating_expenses
        if schedule.tier_for(basis_value):
            quote = quote_with(
                schedule,
                annual_sales=annual_sales,
                operating_expenses=operating_expenses,
                pathway=pathway,
                renewal=renewal,
                categories=codes,
                on_date=on_date,
            )
            result.append((schedule, quote))
    return result


def _refuse_invalid(tiers: Sequence[TierSpec]) -> None:
    problems = tier_problems(tiers)
    if problems:
        raise DomainError(" ".join(problems), errors={"tiers": problems})


def _create_tiers(schedule: FeeSchedule, tiers: Sequence[TierSpec], actor: Any) -> None:
    for spec in sorted(tiers, key=lambda t: t.lower):
        tier = FeeTier(
            schedule=schedule,
            code=spec.code,
            label=spec.label or spec.code,
            lower=spec.lower,
            upper=spec.upper,
            fee=spec.fee,
            components=dict(spec.components),
            renewal_fee=spec.renewal_fee,
        )
        tier._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's documented way
        tier.save()


@transaction.atomic
def fee_schedule_create(
    *,
    actor: Any,
    slug: str,
    name: str,
    source: str,
    basis: str,
    effective_from: datetime.date,
    tiers: Sequence[TierSpec],
    effective_to: datetime.date | None = None,
    version: int = 1,
    is_default: bool = False,
    active: bool = True,
    notes: str = "",
) -> FeeSchedule:
    """Create a schedule with its tiers; invalid tiers are refused before anything is written."""
    _refuse_invalid(tiers)
    if FeeSchedule.objects.filter(slug=slug, version=version).exists():
        message = _("A fee schedule “%(slug)s” version %(version)s already exists.") % {
            "slug": slug,
            "version": version,
        }
        raise DomainError(message, errors={"slug": [message]})
    schedule = FeeSchedule(
        slug=slug,
        name=name,
        source=source,
        basis=basis,
        version=version,
        effective_from=effective_from,
        effective_to=effective_to,
        is_default=is_default,
        active=active,
        notes=notes,
    )
    schedule._history_user = actor  # type: ignore[attr-defined]
    schedule.full_clean()
    schedule.save()
    _create_tiers(schedule, tiers, actor)
    return schedule


@transaction.atomic
def fee_schedule_replace_tiers(*, schedule: FeeSchedule, tiers: Sequence[TierSpec], actor: Any) -> FeeSchedule:
    """Replace a schedule's tiers and raise its version by one; the history keeps the old tiers."""
    _refuse_invalid(tiers)
    schedule = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
    for tier in schedule.tiers.all():
        tier._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's documented way
        tier.delete()
    _create_tiers(schedule, tiers, actor)
    schedule.version += 1
    schedule._history_user = actor  # type: ignore[attr-defined]
    schedule.save(update_fields=["version", "updated_at"])
    return schedule
