"""The office calendar's public pages: a year's twelve month grids and its days off."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from core.calendar import days as cal
from core.errors import DomainError
from core.models import CalendarDay


def _month_grid(
    year: int, month: int, days_off: dict[date, cal.Day], labels: dict[str, Any], today: date
) -> dict[str, Any]:
    """One month as weeks of cells (Monday first); days of the neighbouring months are blank cells."""
    weeks = []
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells: list[dict[str, Any] | None] = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            off = days_off.get(day)
            cells.append(
                {
                    "date": day,
                    "off": off,
                    "kind_label": labels[off.kind] if off else "",
                    "weekend": day.weekday() >= 5,
                    "today": day == today,
                }
            )
        weeks.append(cells)
    return {"number": month, "name": MONTHS[month], "weeks": weeks}


def source_label(day: cal.Day) -> str:
    """Where a day comes from, for people: the decree the package transcribes, not "holidays 0.109, public"."""
    if day.source.startswith("holidays "):
        if day.kind == CalendarDay.Kind.CUTI_BERSAMA:
            return _("Joint decree of three ministers (SKB 3 Menteri): collective leave")
        return _("Joint decree of three ministers (SKB 3 Menteri): national holidays")
    return day.source


def office_calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The office calendar of a year (public): twelve month grids, a legend and the list of days off with names."""
    today = cal.today()
    year = today.year if year is None else year
    try:
        cal.check_year(year)
    except DomainError as error:
        raise Http404(str(error)) from error
    days = cal.days_of(year)
    first_month = today.month if year == today.year else 1
    by_date = {day.date: day for day in days}
    labels = dict(CalendarDay.Kind.choices)
    kinds: dict[str, dict[str, Any]] = {kind: {"label": label, "count": 0} for kind, label in labels.items()}
    for day in days:
        kinds[day.kind]["count"] += 1
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "previous": year - 1 if year > cal.FIRST_YEAR else None,
            "next": year + 1 if year < cal.LAST_YEAR else None,
            "weekdays": [{"abbr": WEEKDAYS_ABBR[i], "name": WEEKDAYS[i]} for i in range(7)],
            # The current year opens at the current month: the months gone by fold away above it.
            "earlier": [_month_grid(year, month, by_date, labels, today) for month in range(1, first_month)],
            "earlier_span": (MONTHS[1], MONTHS[first_month - 1]) if first_month > 1 else None,
            "months": [_month_grid(year, month, by_date, labels, today) for month in range(first_month, 13)],
            "days": [{"day": day, "kind_label": labels[day.kind], "source": source_label(day)} for day in days],
            "kinds": kinds,
            "working_days": cal.working_days_in(year, days),
        },
    )
