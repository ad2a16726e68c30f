"""The one rule for a schedule's tiers, as a pure function: the admin formset and the services both call it.

Tiers are contiguous from 0: no gap, no overlap, lower bound inclusive, upper exclusive; fees are not negative;
at most one tier is open-ended and it is the last one; components (when given) are whole rupiah adding up to the fee.
A schedule's LPH examination caps name known product categories with whole rupiah (a quote reads them as such).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.money import format_rupiah, format_thousands
from fees.models import ExaminationCategory


@dataclass(frozen=True)
class TierSpec:
    code: str
    lower: int
    upper: int | None
    fee: int
    label: str = ""
    components: Mapping[str, Any] = field(default_factory=dict)
    renewal_fee: int | None = None


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _component_problems(tier: TierSpec) -> list[str]:
    if not isinstance(tier.components, Mapping):
        return [_("Tier %(code)s: the components must be a mapping of name to rupiah.") % {"code": tier.code}]
    problems = []
    for name, amount in tier.components.items():
        if not _is_whole(amount) or amount < 0:
            problems.append(
                _("Tier %(code)s: component %(name)s must be a whole, non-negative number of rupiah.")
                % {"code": tier.code, "name": name}
            )
    if not problems and tier.components and sum(tier.components.values()) != tier.fee:
        problems.append(
            _("Tier %(code)s: the components add up to %(sum)s but the fee is %(fee)s.")
            % {"code": tier.code, "sum": format_rupiah(sum(tier.components.values())), "fee": format_rupiah(tier.fee)}
        )
    return problems


def _single_tier_problems(tier: TierSpec) -> list[str]:
    problems = []
    if tier.fee < 0:
        problems.append(
            _("Tier %(code)s has a negative fee (%(fee)s).") % {"code": tier.code, "fee": format_rupiah(tier.fee)}
        )
    if tier.renewal_fee is not None and tier.renewal_fee < 0:
        problems.append(_("Tier %(code)s has a negative renewal fee.") % {"code": tier.code})
    if tier.lower < 0:
        problems.append(
            _("Tier %(code)s starts at %(lower)s: bounds cannot be negative.")
            % {"code": tier.code, "lower": format_thousands(tier.lower)}
        )
    if tier.upper is not None and tier.upper <= tier.lower:
        problems.append(
            _("Tier %(code)s ends at %(upper)s, which is not above its start %(lower)s.")
            % {"code": tier.code, "upper": format_thousands(tier.upper), "lower": format_thousands(tier.lower)}
        )
    return problems + _component_problems(tier)


def _pair_problem(previous: TierSpec, tier: TierSpec) -> str | None:
    if previous.upper is None:
        return _("Tier %(open)s is open-ended, so it must be the last tier, but tier %(code)s follows it.") % {
            "open": previous.code,
            "code": tier.code,
        }
    if tier.lower == previous.upper:
        return None
    values = {
        "code": tier.code,
        "lower": format_thousands(tier.lower),
        "previous": previous.code,
        "upper": format_thousands(previous.upper),
    }
    if tier.lower > previous.upper:
        return _("Tier %(code)s starts at %(lower)s but the previous tier %(previous)s ends at %(upper)s: gap") % values
    return _("Tier %(code)s starts at %(lower)s but the previous tier %(previous)s ends at %(upper)s: overlap") % values


def tier_problems(tiers: Sequence[TierSpec]) -> list[str]:
    """Every problem with these tiers, one translated sentence each naming the tiers concerned; [] when valid."""
    if not tiers:
        return [_("A fee schedule needs at least one tier.")]
    problems: list[str] = []
    seen: set[str] = set()
    for tier in tiers:
        if not tier.code:
            problems.append(_("Every tier needs a code."))
        elif tier.code in seen:
            problems.append(_("Tier code %(code)s is used more than once.") % {"code": tier.code})
        seen.add(tier.code)
        problems.extend(_single_tier_problems(tier))
    ordered = sorted(tiers, key=lambda t: (t.lower, t.upper is None, t.upper or 0, t.code))
    if ordered[0].lower != 0:
        problems.append(
            _("The first tier %(code)s starts at %(lower)s; the tiers must start at 0.")
            % {"code": ordered[0].code, "lower": format_thousands(ordered[0].lower)}
        )
    for previous, tier in zip(ordered, ordered[1:], strict=False):
        problem = _pair_problem(previous, tier)
        if problem:
            problems.append(problem)
    return problems


def examination_cap_problems(caps: Any) -> list[str]:
    """Problems with a schedule's LPH examination caps: known product categories to whole, non-negative rupiah."""
    if not isinstance(caps, Mapping):
        return [_("The LPH examination caps must map product categories to whole rupiah.")]
    problems = []
    for code, amount in caps.items():
        if code not in ExaminationCategory.values:
            problems.append(_("Unknown product category “%(code)s” in the LPH examination caps.") % {"code": code})
        elif not _is_whole(amount) or amount < 0:
            problems.append(
                _("The LPH examination cap of %(code)s must be a whole, non-negative number of rupiah.")
                % {"code": code}
            )
    return problems
