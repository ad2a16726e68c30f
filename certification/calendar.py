"""The SLA calendar: the office calendar of `core.calendar`, under the names certification has always used.

Working days come only from core.calendar (national holidays, cuti bersama and office closures, frozen per year).
The old `CollectiveLeaveDay` table is gone: migration 0007 moved its rows into the office calendar.
"""

from __future__ import annotations

from core.calendar import add_working_days, as_of, is_working_day, today, working_days_between

__all__ = ["add_working_days", "as_of", "is_working_day", "today", "working_days_between"]
