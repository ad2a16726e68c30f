"""Bounds on what people type (a leaf module: imports no app): money, counts, dates and names.

One rupiah cap for every money field, the fee quote's (10^15: a thousand trillion, beyond any MSI and well inside
PostgreSQL's bigint); counts below the database's integer range; dates within the years a record can mean; names
that show at least one visible character (not only spaces, zero-width or other invisible characters).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_RUPIAH = 10**15
MAX_PEOPLE = 10_000_000  # a workforce or a capacity: more than any employer in Indonesia
MAX_SMALL_COUNT = 10_000  # outlets, production facilities, preservation methods
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

# Characters that render as nothing although Unicode files them as letters or symbols.
BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}


def max_rupiah_validator() -> MaxValueValidator:
    return MaxValueValidator(MAX_RUPIAH, _("At most Rp 1.000.000.000.000.000 (10^15)."))


def max_count_validator(limit: int) -> MaxValueValidator:
    return MaxValueValidator(limit, _("At most %(limit_value)s."))


def money_validators() -> list[Any]:
    return [MinValueValidator(0), max_rupiah_validator()]


def has_visible_text(value: str) -> bool:
    return any(
        char not in BLANK_LOOKING and unicodedata.category(char) not in INVISIBLE_CATEGORIES for char in value or ""
    )


def visible_text(value: str) -> None:
    """A name must show something: not only spaces, zero-width or other invisible characters."""
    if not has_visible_text(value):
        raise ValidationError(_("Enter a name with visible letters or digits."), code="invisible")


def parse_iso_date(value: Any) -> datetime.date | None:
    """A YYYY-MM-DD text as a date; None when it is not one (30 February, 2026-13-01, any other text).

    django.utils.dateparse.parse_date raises ValueError for a well-formed impossible date; user input never should.
    """
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip() if value is not None else ""
    if not ISO_DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@deconstructible
class DateRange:
    """A date from EARLIEST_DATE (1900) to LATEST_DATE (2100), or to today when `not_future`."""

    def __init__(self, *, not_future: bool = False) -> None:
        self.not_future = not_future

    def __call__(self, value: datetime.date | None) -> None:
        if value is None:
            return
        if value < EARLIEST_DATE:
            raise ValidationError(
                _("The date cannot be before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}, code="too_early"
            )
        latest = timezone.localdate() if self.not_future else LATEST_DATE
        if value > latest:
            message = (
                _("The date cannot be in the future.")
                if self.not_future
                else _("The date cannot be after %(date)s.") % {"date": LATEST_DATE.isoformat()}
            )
            raise ValidationError(message, code="too_late")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and other.not_future == self.not_future

    def __hash__(self) -> int:
        return hash(("DateRange", self.not_future))


past_date = DateRange(not_future=True)
sensible_date = DateRange()
