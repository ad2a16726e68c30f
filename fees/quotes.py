"""The quote computation as a pure function of a frozen schedule: no database, used by quotes and simulations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.formats import get_format
from django.utils.translation import trans_real

from core.errors import DomainError
from core.money import format_rupiah
from fees.models import COMPONENT_LABELS, Basis
from fees.selectors import ScheduleData, TierData

REGULAR = "regular"
SELF_DECLARE = "self_declare"
PATHWAYS = (REGULAR, SELF_DECLARE)
# Above this ratio R (percent of gross income) a fee is burdensome: the paper's medium "burdensome" group (Table 7)
# reported R = 2.5; the simulation takes its own threshold.
AFFORDABILITY_THRESHOLD = Decimal("2.5")
AFFORDABLE, BURDENSOME, UNDEFINED = "affordable", "burdensome", "undefined"
CENT = Decimal("0.01")


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


def _tier_sentence(tier: TierData, basis_value: int, schedule: ScheduleData, _: Gettext) -> str:
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


def quote_with(schedule: ScheduleData, *, annual_sales: int, operating_expenses: int, pathway: str = REGULAR) -> Quote:
    """Quote one business's figures against a frozen schedule (pure: no database)."""
    _, separator = _active_catalogue()
    if pathway not in PATHWAYS:
        raise DomainError(_("Unknown pathway “%(pathway)s”.") % {"pathway": pathway}, errors={"pathway": []})
    gross_income = annual_sales - operating_expenses
    by_gross = schedule.basis == Basis.GROSS_INCOME
    basis_value = gross_income if by_gross else annual_sales
    tier = schedule.tier_for(basis_value)
    if tier is None:
        raise DomainError(
            _("%(value)s is above the highest tier of the fee schedule “%(name)s”.")
            % {"value": format_rupiah(basis_value), "name": schedule.name}
        )
    values = {
        "sales": format_rupiah(annual_sales),
        "expenses": format_rupiah(operating_expenses),
        "gross": format_rupiah(gross_income),
        "name": schedule.name,
        "version": schedule.version,
        "value": format_rupiah(basis_value),
    }
    explanation = [
        _("Gross income = annual sales %(sales)s − operating expenses %(expenses)s = %(gross)s (Eq. 2).") % values,
        (
            _("The schedule “%(name)s” (version %(version)s) chooses the tier by gross income: %(value)s.")
            if by_gross
            else _("The schedule “%(name)s” (version %(version)s) chooses the tier by annual sales: %(value)s.")
        )
        % values,
        _tier_sentence(tier, basis_value, schedule, _),
    ]
    fee, components = tier.fee, dict(tier.components)
    if pathway == SELF_DECLARE:
        fee, components = 0, {}
        explanation.append(
            _(
                "Self-declare (Sehati) applications pay Rp 0: UU 6/2023 Pasal 44(2) waives the fee for micro and "
                "small businesses; the tier above is shown for reference only."
            )
        )
    elif components:
        explanation.append(_components_sentence(components, _))
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
