"""Writes to the office calendar (core/calendar/days.py reads it): add a day off, remove a wrong one, seed a year.

Only an administrator changes the calendar; seeding is what the first read of a year does anyway, so anyone (the
command, a read) may trigger it. Every change is audited twice: the row keeps who created or removed it and why,
and django-simple-history keeps each version with its user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.access import roles
from core.calendar import days as cal
from core.errors import DomainError
from core.models import CalendarDay, CalendarYear

OFFICE_SOURCE = "office"
Kind = CalendarDay.Kind


def _require_admin(actor: Any) -> None:
    if not (roles.has_role(actor, roles.ADMIN) or getattr(actor, "is_superuser", False)):
        raise DomainError(_("Only an administrator may change the office calendar."))


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


def calendar_day_check(*, day: date, kind: str, name: str, source: str) -> None:
    """Refuse, with a message per field, a day that cannot be added (the admin form shows the same messages)."""
    cal.check_year(day.year)
    if kind not in Kind.values:
        raise _refuse("kind", _("Choose the kind of day: national holiday, cuti bersama or office closure."))
    if not name.strip():
        raise _refuse("name", _("Give the day its name (e.g. “Kantor tutup: banjir”)."))
    if kind != Kind.OFFICE_CLOSURE and not source.strip():
        raise _refuse("source", _("Name the decree this day comes from (e.g. “SKB 3 Menteri 2026”)."))
    shown = formats.date_format(day, "DATE_FORMAT")
    if kind == Kind.OFFICE_CLOSURE and day.weekday() >= 5:
        raise _refuse("date", _("%(date)s is a weekend day: it is never a working day already.") % {"date": shown})
    existing = next((d for d in cal.days_of(day.year) if d.date == day), None)  # seeds the year if needed
    if existing is not None:
        raise _refuse(
            "date",
            _("%(date)s is already a day off (%(name)s). To replace it, remove that day first, with a reason.")
            % {"date": shown, "name": existing.name},
        )


@transaction.atomic
def calendar_day_add(
    *, day: date, name: str, actor: Any, kind: str = Kind.OFFICE_CLOSURE, source: str = ""
) -> CalendarDay:
    """Add a day off (by default an office closure) to the calendar; due dates computed from now on skip it."""
    _require_admin(actor)
    # The year is seeded first (inside the check), so the package's days can never collide with this one later.
    calendar_day_check(day=day, kind=kind, name=name, source=source)
    row = CalendarDay(
        date=day,
        kind=kind,
        name=name.strip()[:200],
        source=(source.strip() or OFFICE_SOURCE)[:200],
        created_by=actor,
    )
    row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's documented way
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # another admin added a day on that date meanwhile (one active row per date)
        raise _refuse("date", _("Someone else has just added a day off on that date; reload and check.")) from None
    return row


@transaction.atomic
def calendar_day_remove(*, day_id: int, reason: str, actor: Any) -> CalendarDay:
    """Take a wrong day out of the calendar (soft: the row stays, inactive, with who, when and why).

    Removing a day that is already removed changes nothing. Due dates already given stay as they are; dates computed
    from now on count the day as a working day again.
    """
    _require_admin(actor)
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", _("Give the reason for removing the day (e.g. the decree that cancelled it)."))
    row = CalendarDay.objects.select_for_update().get(pk=day_id)
    if not row.active:
        return row
    row.active = False
    row.removed_reason = reason
    row.removed_by = actor
    row.removed_at = timezone.now()
    row._history_user = actor  # type: ignore[attr-defined]
    row.save(update_fields=["active", "removed_reason", "removed_by", "removed_at"])
    return row


@dataclass(frozen=True)
class SeedResult:
    year: int
    seeded: bool  # False: the year was seeded before and stays as it is (frozen)
    seeded_at: datetime
    source: str
    counts: dict[str, int]  # active days per kind


def calendar_year_seed(*, year: int, actor: Any = None) -> SeedResult:
    """Seed `year` from the `holidays` package unless it was seeded before (then nothing changes)."""
    seeded = cal.ensure_year(year, actor=actor)
    row = CalendarYear.objects.get(year=year)
    counts = dict.fromkeys(Kind.values, 0)
    for day in CalendarDay.objects.filter(date__year=year, active=True).values_list("kind", flat=True):
        counts[day] += 1
    return SeedResult(year=year, seeded=seeded, seeded_at=row.seeded_at, source=row.source, counts=counts)


@transaction.atomic
def calendar_year_add_missing(*, year: int, actor: Any = None) -> list[CalendarDay]:
    """Add the days the installed package knows for a seeded year and the calendar has never had (e.g. cuti bersama
    decreed after the year was seeded). Additions only: a day the calendar has, active or removed, is left alone;
    nothing is renamed or moved. An explicit office decision (the command's --add-missing), never automatic."""
    if cal.ensure_year(year, actor=actor):
        return []  # seeded just now: it has every day the package knows
    CalendarYear.objects.select_for_update().get(year=year)  # one top-up of a year at a time
    known = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    added = []
    for day in cal.package_days(year):
        if day.date in known:
            continue
        row = CalendarDay(date=day.date, kind=day.kind, name=day.name, source=day.source, created_by=actor)
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        added.append(row)
    return added
