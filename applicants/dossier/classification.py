"""The platform classifies an ingredient; the owner only claims.

An ingredient is **not doubtful** only when

- it matches an active entry of the positive list (KMA 1360/2021, admin data in `PositiveListEntry`), chosen by the
  owner from a search or found by its exact name, and its name is not one that is never exempt in a processed form
  (`never_exempt_term`: gelatin, rum and other alcohol, flavourings, enzymes, emulsifiers, animal fats...); or
- it carries a halal certificate whose number has its issuer's format, whose issuer is known, and which is valid on
  the day (BPJPH certificates issued under UU 6/2023 have no end date; MUI's and foreign bodies' always have one).

An owner's "I believe it is exempt" (`exempt_claim`) is a claim: the ingredient stays doubtful until the assistant
confirms it on site (the verification's line, `certification.verification`). Everything else is doubtful.

Pure rules on values (no queries): the model, the services, the snapshot and the verification call them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent.parent / "data" / "positive_list.json"

# Halal certificate issuers an ingredient's certificate may come from.
BPJPH = "bpjph"
MUI = "mui"
FOREIGN = "foreign"
ISSUERS = (BPJPH, MUI, FOREIGN)

# BPJPH: "ID" + 17 digits (shared/domain/certificate.json, from SIHALAL's numbers, e.g. ID35110001325901022).
# MUI (LPPOM MUI, before BPJPH took over on 17 Oct 2019): 12 to 20 digits as printed on MUI's certificates (e.g.
# 00150012345678); MUI certificates were valid for two years, so they always carry an end date.
# A foreign halal body recognised by BPJPH (mutual recognition, PP 42/2024): its own number, 4 to 40 letters,
# digits and . / - ; always with its body's name and an end date.
NUMBER_PATTERNS: dict[str, re.Pattern[str]] = {
    BPJPH: re.compile(r"^ID\d{17}$"),
    MUI: re.compile(r"^\d{12,20}$"),
    FOREIGN: re.compile(r"^[A-Z0-9][A-Z0-9./ -]{3,39}$"),
}
END_DATE_REQUIRED = frozenset({MUI, FOREIGN})


@cache
def _never_exempt() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))["never_exempt"]["terms"]
    # Whole words only: "rum" is never exempt, "rumput laut" (seaweed) is on the positive list.
    return tuple((row["term"], re.compile(rf"(?<!\w)(?:{row['pattern']})(?!\w)", re.IGNORECASE)) for row in data)


def never_exempt_term(name: str) -> str:
    """The never-exempt term the name contains ("gelatin", "alkohol dan minuman beralkohol"...), or ""."""
    text = " ".join(str(name or "").split())
    for term, pattern in _never_exempt():
        if pattern.search(text):
            return term
    return ""


def normalise_issuer(value: Any, number: str = "") -> str:
    """An issuer code from what a person or an older record wrote ("BPJPH", "LPPOM MUI", "mui"...), or "" when it
    cannot be told. A number in BPJPH's format tells the issuer when the issuer was left empty."""
    text = str(value or "").strip().lower()
    if text in ISSUERS:
        return text
    if "bpjph" in text:
        return BPJPH
    if "mui" in text or "lppom" in text:
        return MUI
    if not text and NUMBER_PATTERNS[BPJPH].match(number or ""):
        return BPJPH
    return ""


def certificate_problem(*, number: str, issuer: str, body: str, valid_until: dt.date | None, today: dt.date) -> str:
    """Why the certificate does not check out (in the active language), or "" when it does."""
    if issuer not in ISSUERS:
        return _("choose who issued the halal certificate %(number)s (BPJPH, MUI or a foreign halal body)") % {
            "number": number
        }
    if not NUMBER_PATTERNS[issuer].match(number):
        return {
            BPJPH: _("the BPJPH certificate number %(number)s is not valid: it is ID followed by 17 digits"),
            MUI: _("the MUI certificate number %(number)s is not valid: it is 12 to 20 digits"),
            FOREIGN: _("the certificate number %(number)s is not valid: 4 to 40 letters, digits and . / -"),
        }[issuer] % {"number": number}
    if issuer == FOREIGN and not str(body or "").strip():
        return _("name the foreign halal body that issued certificate %(number)s") % {"number": number}
    if valid_until is None and issuer in END_DATE_REQUIRED:
        return _("enter the date until which certificate %(number)s is valid") % {"number": number}
    if valid_until is not None and valid_until < today:
        return _("the halal certificate %(number)s expired on %(date)s") % {
            "number": number,
            "date": valid_until.strftime("%d-%m-%Y"),
        }
    return ""


@dataclass(frozen=True)
class Classification:
    """The platform's verdict on one ingredient on one day."""

    doubtful: bool
    basis: str  # "positive_list", "certificate", "claim" (an owner's exemption claim) or "none"
    reason: str  # why it is doubtful ("" when not)
    evidence: str  # what it rests on ("" when doubtful)


def classify(
    *,
    name: str,
    entry: Any,
    number: str,
    issuer: str,
    body: str,
    valid_until: dt.date | None,
    exempt_claim: bool,
    today: dt.date,
) -> Classification:
    """`entry` is the matched positive-list entry (with `name`, `active`, `group_name`) or None."""
    term = never_exempt_term(name)
    if entry is not None and getattr(entry, "active", False) and not term:
        evidence = _("Positive list (KMA 1360/2021): %(entry)s") % {"entry": entry.name}
        return Classification(False, "positive_list", "", evidence)
    if number:
        problem = certificate_problem(number=number, issuer=issuer, body=body, valid_until=valid_until, today=today)
        if not problem:
            parts = [_("Halal certificate %(number)s") % {"number": number}, f"({issuer_label(issuer, body)})"]
            if valid_until is not None:
                parts.append(_("valid until %(date)s") % {"date": valid_until.strftime("%d-%m-%Y")})
            return Classification(False, "certificate", "", " ".join(parts))
        return Classification(
            True, "none", _("Its halal certificate does not check out: %(problem)s.") % {"problem": problem}, ""
        )
    if entry is not None and term:
        reason = _("“%(term)s” is never exempt when processed: it needs a halal certificate.") % {"term": term}
        return Classification(True, "none", reason, "")
    if entry is not None:
        reason = _("The positive-list entry “%(entry)s” is no longer active.") % {"entry": entry.name}
        return Classification(True, "none", reason, "")
    if exempt_claim:
        reason = _("The owner believes it is exempt; the assistant confirms it on site.")
        return Classification(True, "claim", reason, "")
    return Classification(
        True, "none", _("It has a critical point: no halal certificate and not on the positive list."), ""
    )


def issuer_label(issuer: str, body: str = "") -> str:
    if issuer == BPJPH:
        return "BPJPH"
    if issuer == MUI:
        return "MUI"
    if issuer == FOREIGN:
        return str(body or "").strip() or _("foreign halal body")
    return _("issuer unknown")
