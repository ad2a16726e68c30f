"""The quote computation as a pure function of a frozen schedule: no database, used by quotes and simulations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.formats import get_format
from django.utils.translation import gettext, trans_real

from core.business_scale import SMALL_SALES_MAX, is_micro_or_small
from core.calendar.days import today as jakarta_today
from core.errors import DomainError
from core.money import format_rupiah
from fees.models import COMPONENT_LABELS, DEFAULT_EXAMINATION_CATEGORY, Basis, ExaminationCategory
from fees.selectors import ScheduleData, TierData
from fees.self_declare import refuse_above_cap, revenue_cap

REGULAR = "regular"
SELF_DECLARE = "self_declare"
PATHWAYS = (REGULAR, SELF_DECLARE)
# Above this ratio R (percent of gross income) a fee is burdensome: the paper's medium "burdensome" group (Table 7)
# reported R = 2.5; the simulation takes its own threshold.
AFFORDABILITY_THRESHOLD = Decimal("2.5")
AFFORDABLE, BURDENSOME, UNDEFINED = "affordable", "burdensome", "undefined"
CENT = Decimal("0.01")
# A quote names at most this many product categories (there are 11; repeats are allowed and count once).
MAX_CATEGORIES = 20
CATEGORY_ORDER = {code: index for index, code in enumerate(ExaminationCategory.values)}


@dataclass(frozen=True)
class Quote:
    annual_sales: int
    operating_expenses: int
    gross_income: int
    basis: str  # "gross_income" | "annual_sales"
    basis_value: int
    tier_code: str
    tier_label: str
    fee: int
    components: dict[str, int]
    ratio_percent: Decimal | None  # fee / gross_income * 100, 2 places (ROUND_HALF_UP); None when gross_income <= 0
    schedule_slug: str
    schedule_version: int
    pathway: str  # "regular" | "self_declare"
    explanation: list[str]  # one plain sentence per step, in the active language

    @property
    def affordability(self) -> str:
        """ "affordable" when R is at most the threshold, "burdensome" above it, "undefined" without a ratio."""
        return affordability_of(self.ratio_percent)

    @property
    def is_burdensome(self) -> bool:
        return self.affordability == BURDENSOME


def affordability_of(ratio: Decimal | None, threshold: Decimal = AFFORDABILITY_THRESHOLD) -> str:
    if ratio is None:
        return UNDEFINED
    return BURDENSOME if ratio > threshold else AFFORDABLE


def ratio_percent(fee: int, gross_income: int) -> Decimal | None:
    """Eq. 1: R = fee / gross income x 100, two places, half up; undefined when gross income is not positive."""
    if gross_income <= 0:
        return None
    return (Decimal(fee) * 100 / Decimal(gross_income)).quantize(CENT, rounding=ROUND_HALF_UP)


Gettext = Callable[[str], str]


def _active_catalogue() -> tuple[Gettext, str]:
    """The active language's gettext and decimal separator, looked up once per quote: django's gettext() finds the
    active catalogue again on every call, which is most of a quote's cost."""
    catalogue = trans_real.catalog()
    return catalogue.gettext, _decimal_separator(catalogue.language())


@lru_cache(maxsize=16)
def _decimal_separator(language: str) -> str:
    return str(get_format("DECIMAL_SEPARATOR", language))


def _percent(value: Decimal, separator: str) -> str:
    return f"{value:.2f}".replace(".", separator) + "%"


def _tier_sentence(
    tier: TierData, basis_value: int, schedule: ScheduleData, _: Gettext, *, with_fee: bool = True
) -> str:
    """Which tier the basis falls in; without the tier's listed fee when the fee is built from components instead."""
    values = {
        "value": format_rupiah(basis_value),
        "code": tier.code,
        "label": _(tier.label),
        "lower": format_rupiah(tier.lower),
        "upper": format_rupiah(tier.upper or 0),
        "fee": format_rupiah(tier.fee),
    }
    if basis_value < tier.lower:
        if schedule.basis == Basis.GROSS_INCOME:
            return (
                _(
                    "Gross income is negative (expenses exceed sales), so the first tier %(code)s (%(label)s) "
                    "applies, with a fee of %(fee)s."
                )
                % values
            )
        return _("%(value)s is below every tier, so the first tier %(code)s (%(label)s) applies, fee %(fee)s.") % values
    if not with_fee:
        if tier.upper is None:
            return _("%(value)s is at least %(lower)s, so it falls in tier %(code)s (%(label)s).") % values
        return (
            _("%(value)s is at least %(lower)s and below %(upper)s, so it falls in tier %(code)s (%(label)s).") % values
        )
    if tier.upper is None:
        return _("%(value)s is at least %(lower)s, so it falls in tier %(code)s (%(label)s), fee %(fee)s.") % values
    return (
        _("%(value)s is at least %(lower)s and below %(upper)s, so it falls in tier %(code)s (%(label)s), fee %(fee)s.")
        % values
    )


def _components_sentence(components: dict[str, int], _: Gettext) -> str:
    parts = ", ".join(f"{_(COMPONENT_LABELS.get(k, k))} {format_rupiah(v)}" for k, v in components.items())
    return _("The fee is made up of: %(parts)s.") % {"parts": parts}


def _ratio_sentences(fee: int, gross_income: int, ratio: Decimal | None, _: Gettext, separator: str) -> list[str]:
    if ratio is None:
        return [_("The ratio R of fee to gross income is undefined because gross income is zero or negative.")]
    values = {
        "fee": format_rupiah(fee),
        "gross": format_rupiah(gross_income),
        "ratio": _percent(ratio, separator),
        "threshold": _percent(AFFORDABILITY_THRESHOLD, separator),
    }
    sentences = [_("Ratio R = fee / gross income × 100 = %(fee)s / %(gross)s × 100 = %(ratio)s (Eq. 1).") % values]
    if ratio > AFFORDABILITY_THRESHOLD:
        sentences.append(_("R is above the %(threshold)s affordability threshold: the fee is burdensome.") % values)
    else:
        sentences.append(_("R is at most the %(threshold)s affordability threshold: the fee is affordable.") % values)
    return sentences


def normalized_categories(categories: Iterable[str]) -> tuple[str, ...]:
    """Known product category codes, each once, in the order of ExaminationCategory; an unknown code is refused."""
    if isinstance(categories, str):
        categories = (categories,)
    chosen = set()
    for code in categories:
        if code not in CATEGORY_ORDER:
            message = gettext("Unknown product category “%(code)s”.") % {"code": code}
            raise DomainError(message, errors={"categories": [message]})
        chosen.add(code)
    return tuple(sorted(chosen, key=CATEGORY_ORDER.__getitem__))


def _category_label(code: str) -> str:
    return str(ExaminationCategory(code).label)  # a lazy label: in the active language already


def _refuse_self_declare_above_small(annual_sales: int, _: Gettext) -> None:
    """UU 6/2023 Pasal 44(2) waives the fee for micro and small businesses only (PP 7/2021: sales up to Rp15 bn)."""
    if is_micro_or_small(annual_sales):
        return
    message = _(
        "Self-declare (free certification) is only for micro and small businesses: annual sales of %(sales)s are "
        "above the small-business limit of %(limit)s (PP 7/2021 Pasal 35), so UU 6/2023 Pasal 44(2) does not waive "
        "the fee. Use the regular pathway."
    ) % {"sales": format_rupiah(annual_sales), "limit": format_rupiah(SMALL_SALES_MAX)}
    raise DomainError(message, errors={"pathway": [message]})


def _first_component(tier: TierData, renewal: bool, _: Gettext) -> tuple[dict[str, int], list[str]]:
    """Registration for a new certificate, or the renewal service fee for a renewal (when the tier has one)."""
    if "registration" not in tier.components:
        return {}, []
    registration = tier.components["registration"]
    values = {"registration": format_rupiah(registration), "code": tier.code}
    if not renewal:
        return {"registration": registration}, [
            _("Registration for a new certificate (tier %(code)s): %(registration)s.") % values
        ]
    if tier.renewal_fee is None:
        return {"registration": registration}, [
            _(
                "The schedule has no renewal fee for tier %(code)s, so a renewal pays the registration fee of "
                "%(registration)s."
            )
            % values
        ]
    values["renewal"] = format_rupiah(tier.renewal_fee)
    return {"renewal": tier.renewal_fee}, [
        _(
            "Renewal of a certificate (tier %(code)s): the renewal service fee of %(renewal)s instead of the "
            "registration fee of %(registration)s."
        )
        % values
    ]


def _examination_component(
    schedule: ScheduleData, tier: TierData, annual_sales: int, categories: tuple[str, ...], _: Gettext
) -> tuple[dict[str, int], list[str]]:
    """The LPH examination fee at its cap: one cap for micro and small businesses whatever the category; for medium
    and large ones the cap of the highest-capped category among the products (simple products when none is given)."""
    if "examination_cap" not in tier.components:
        return {}, []
    listed = tier.components["examination_cap"]
    if not schedule.examination_caps:
        lines = []
        if categories:
            lines.append(
                _("The schedule has no examination caps per product category: the LPH examination cap is %(cap)s.")
                % {"cap": format_rupiah(listed)}
            )
        return {"examination_cap": listed}, lines
    if is_micro_or_small(annual_sales):
        return {"examination_cap": listed}, [
            _(
                "LPH examination fee, charged at its cap: %(cap)s, the cap for micro and small businesses whatever "
                "the product category (Kepkaban 141/2021)."
            )
            % {"cap": format_rupiah(listed)}
        ]
    missing = [code for code in categories if code not in schedule.examination_caps]
    if missing:
        message = _("The fee schedule “%(name)s” has no LPH examination cap for the product category “%(code)s”.") % {
            "name": _(schedule.name),
            "code": missing[0],
        }
        raise DomainError(message, errors={"categories": [message]})
    caps = schedule.examination_caps
    if not categories:
        if DEFAULT_EXAMINATION_CATEGORY not in caps:
            return {"examination_cap": listed}, []
        cap = caps[DEFAULT_EXAMINATION_CATEGORY]
        return {"examination_cap": cap}, [
            _(
                "LPH examination fee, charged at its cap: %(cap)s for %(category)s (no product category was given, "
                "so simple products are assumed; Kepkaban 141/2021)."
            )
            % {"cap": format_rupiah(cap), "category": _category_label(DEFAULT_EXAMINATION_CATEGORY)}
        ]
    highest = max(categories, key=lambda code: caps[code])  # the first of equal caps, in category order
    values = {
        "cap": format_rupiah(caps[highest]),
        "category": _category_label(highest),
        "caps": ", ".join(f"{_category_label(code)} {format_rupiah(caps[code])}" for code in categories),
    }
    if len(categories) == 1:
        line = _("LPH examination fee, charged at its cap: %(cap)s for %(category)s (Kepkaban 141/2021).") % values
    else:
        line = (
            _(
                "LPH examination fee, charged at its cap: %(cap)s for %(category)s, the highest cap among the "
                "products' categories (%(caps)s; Kepkaban 141/2021)."
            )
            % values
        )
    return {"examination_cap": caps[highest]}, [line]


def _regular_fee(
    schedule: ScheduleData,
    tier: TierData,
    *,
    annual_sales: int,
    renewal: bool,
    categories: tuple[str, ...],
    _: Gettext,
) -> tuple[int, dict[str, int], list[str]]:
    """The regular fee of a tier: its components adjusted for a renewal and the product categories, line by line."""
    if not tier.components:
        lines = []
        if renewal or categories:
            lines.append(
                _(
                    "The schedule “%(name)s” has no renewal fee and no product-category components: the fee is the "
                    "tier's fee whatever the renewal or the product categories."
                )
                % {"name": _(schedule.name)}
            )
        return tier.fee, {}, lines
    first, lines = _first_component(tier, renewal, _)
    examination, examination_lines = _examination_component(schedule, tier, annual_sales, categories, _)
    others = {k: v for k, v in tier.components.items() if k not in ("registration", "examination_cap")}
    components = {**first, **examination, **others}
    lines.extend(examination_lines)
    lines.append(_components_sentence(components, _))
    return sum(components.values()), components, lines


def quote_with(
    schedule: ScheduleData,
    *,
    annual_sales: int,
    operating_expenses: int,
    pathway: str = REGULAR,
    renewal: bool = False,
    categories: Iterable[str] = (),
    on_date: date | None = None,
) -> Quote:
    """Quote one business's figures against a frozen schedule (pure: no database).

    A renewal pays the tier's renewal service fee instead of registration; the LPH examination is charged at the
    cap of the products' categories (the highest one) for medium and large businesses. Self-declare is free for micro
    and small businesses and refused for others.
    """
    _, separator = _active_catalogue()
    if pathway not in PATHWAYS:
        raise DomainError(_("Unknown pathway “%(pathway)s”.") % {"pathway": pathway}, errors={"pathway": []})
    categories = normalized_categories(categories)
    on_date = on_date or jakarta_today()
    if pathway == SELF_DECLARE:
        _refuse_self_declare_above_small(annual_sales, _)
        refuse_above_cap(annual_sales, on_date)  # the same cap, from the same rule, as the eligibility check
    gross_income = annual_sales - operating_expenses
    by_gross = schedule.basis == Basis.GROSS_INCOME
    basis_value = gross_income if by_gross else annual_sales
    tier = schedule.tier_for(basis_value)
    if tier is None:
        raise DomainError(
            _("%(value)s is above the highest tier of the fee schedule “%(name)s”.")
            % {"value": format_rupiah(basis_value), "name": _(schedule.name)}
        )
    values = {
        "sales": format_rupiah(annual_sales),
        "expenses": format_rupiah(operating_expenses),
        "gross": format_rupiah(gross_income),
        "name": _(schedule.name),
        "version": schedule.version,
        "value": format_rupiah(basis_value),
    }
    itemised = pathway == REGULAR and bool(tier.components)
    explanation = [
        _("Gross income = annual sales %(sales)s − operating expenses %(expenses)s = %(gross)s (Eq. 2).") % values,
        (
            _("The schedule “%(name)s” (version %(version)s) chooses the tier by gross income: %(value)s.")
            if by_gross
            else _("The schedule “%(name)s” (version %(version)s) chooses the tier by annual sales: %(value)s.")
        )
        % values,
        _tier_sentence(tier, basis_value, schedule, _, with_fee=not itemised),
    ]
    if pathway == SELF_DECLARE:
        fee, components = 0, {}
        cap, rule = revenue_cap(on_date)
        explanation.append(
            _(
                "Annual sales of %(sales)s are within the self-declare cap of %(cap)s (%(decree)s, in force on "
                "%(date)s)."
            )
            % {
                "sales": format_rupiah(annual_sales),
                "cap": format_rupiah(cap),
                "decree": rule.citation,
                "date": on_date.strftime("%d-%m-%Y"),
            }
        )
        explanation.append(
            _(
                "Self-declare (Sehati) applications pay Rp 0: UU 6/2023 Pasal 44(2) waives the fee for micro and "
                "small businesses that meet the self-declare criteria; the tier above is shown for reference only."
            )
        )
        if renewal or categories:
            explanation.append(_("A renewal and the product categories change the fee on the regular pathway only."))
    else:
        fee, components, lines = _regular_fee(
            schedule, tier, annual_sales=annual_sales, renewal=renewal, categories=categories, _=_
        )
        explanation.extend(lines)
    ratio = ratio_percent(fee, gross_income)
    explanation.extend(_ratio_sentences(fee, gross_income, ratio, _, separator))
    return Quote(
        annual_sales=annual_sales,
        operating_expenses=operating_expenses,
        gross_income=gross_income,
        basis=schedule.basis,
        basis_value=basis_value,
        tier_code=tier.code,
        tier_label=_(tier.label),
        fee=fee,
        components=components,
        ratio_percent=ratio,
        schedule_slug=schedule.slug,
        schedule_version=schedule.version,
        pathway=pathway,
        explanation=explanation,
    )
