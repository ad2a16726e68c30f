"""The self-declare revenue cap as dated, cited rules (fees/data/self_declare_rules.json).

One home for the cap: the Sehati eligibility check and the self-declare fee quote both ask `rule_in_force(on)`, so
they cannot disagree about a business. The rule in force on a case's submission date applies to that case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_rupiah

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "data" / "self_declare_rules.json"


@dataclass(frozen=True)
class CapRule:
    decree: str
    short: str
    effective_from: date | None
    effective_from_confirmed: bool
    revenue_cap: int
    revenue_cap_confirmed: bool
    applied: bool
    note: str

    @property
    def citation(self) -> str:
        """How an owner reads the rule: the decree, and what of it is not confirmed."""
        text = self.short
        if not self.effective_from_confirmed and self.effective_from is not None:
            text += " " + _("(effective date unconfirmed)")
        if not self.revenue_cap_confirmed:
            text += " " + _("(cap unconfirmed)")
        return text


def _file() -> Path:
    return Path(getattr(settings, "SELF_DECLARE_RULES_FILE", "") or DEFAULT_RULES_FILE)


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[CapRule, ...]:
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["rules"]
    return tuple(
        CapRule(
            decree=row["decree"],
            short=row["short"],
            effective_from=date.fromisoformat(row["effective_from"]) if row["effective_from"] else None,
            effective_from_confirmed=bool(row["effective_from_confirmed"]),
            revenue_cap=int(row["revenue_cap"]),
            revenue_cap_confirmed=bool(row["revenue_cap_confirmed"]),
            applied=bool(row["applied"]),
            note=row.get("note", ""),
        )
        for row in rows
    )


def cap_rules() -> tuple[CapRule, ...]:
    return _load(str(_file()))


def rule_in_force(on: date) -> CapRule:
    """The applied rule with the latest effective date on or before `on`."""
    candidates = [r for r in cap_rules() if r.applied and r.effective_from is not None and r.effective_from <= on]
    if not candidates:
        raise DomainError(_("No self-declare rule is in force on %(date)s.") % {"date": on.isoformat()})
    return max(candidates, key=lambda r: r.effective_from or date.min)


def pending_rules(on: date) -> list[CapRule]:
    """Rules listed but not applied (unconfirmed), or applied but not yet in effect on `on`: shown, never used."""
    return [r for r in cap_rules() if not r.applied or (r.effective_from is not None and r.effective_from > on)]


def revenue_cap(on: date) -> tuple[int, CapRule]:
    """The cap that applies on a date: SEHATI_REVENUE_CAP when a deployment sets it (an override), else the rule's."""
    rule = rule_in_force(on)
    override = int(getattr(settings, "SEHATI_REVENUE_CAP", 0) or 0)
    return (override or rule.revenue_cap), rule


def refuse_above_cap(annual_sales: int, on: date) -> None:
    """The self-declare quote's half of the one answer: sales above the cap in force are refused, as eligibility
    refuses them."""
    cap, rule = revenue_cap(on)
    if annual_sales <= cap:
        return
    message = _(
        "Self-declare is only for annual sales up to %(cap)s (%(decree)s, in force on %(date)s); annual sales of "
        "%(sales)s are above it, so this business is not eligible and pays the regular fee. Use the regular pathway."
    ) % {
        "cap": format_rupiah(cap),
        "decree": rule.citation,
        "date": on.strftime("%d-%m-%Y"),
        "sales": format_rupiah(annual_sales),
    }
    raise DomainError(message, errors={"pathway": [message]})
