"""Home-panel data for the officer (used by templates/halalmsi/home/officer.html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache
from django.utils import timezone

from core import generations
from training import selectors

OPEN_TRAININGS_SECONDS = 60

register = template.Library()


@register.simple_tag
def officer_training_summary(user: Any) -> dict[str, Any]:
    """The officer's programs lacking follow-up (first 5, with coverage), the counts, and the programs with owners'
    requests awaiting approval; four or five queries."""
    today = timezone.localdate()
    lacking = selectors.programs_lacking_follow_up(today=today, officer=user)
    programs = list(lacking[:5])
    for program in programs:
        program.coverage = selectors.coverage_percent(program)
    return {
        "programs": programs,
        "lacking_count": lacking.count() if len(programs) == 5 else len(programs),
        "overdue_follow_ups": selectors.overdue_follow_ups(officer=user, today=today).count(),
        "my_programs": selectors.programs_for(user).filter(responsible_officer=user).count(),
        "awaiting_approval": list(selectors.programs_awaiting_approval(officer=user)[:5]),
    }


@register.simple_tag
def owner_open_trainings(user: Any) -> dict[str, Any]:
    """The first three trainings an owner can join and how many are open: the same for every owner, so kept under
    the "training" generation (programmes and enrolments, core.generations) and the day; two queries when it is
    not kept (issue 34: the owner's home was 14-17 % of the mixed load's server time)."""
    today = timezone.localdate()
    key = f"owner-open-trainings:{today}:{generations.current(['training'])}"
    found: dict[str, Any] | None = cache.get(key)
    if found is not None:
        return found
    open_programs = selectors.open_programs(today=today)
    programs = list(open_programs[:3])
    for program in programs:
        program.free = max(program.capacity - program.enrolled_count, 0)
    found = {"programs": programs, "count": open_programs.count() if len(programs) == 3 else len(programs)}
    # A write outside the ORM's signals would not move the generation: a minute bounds how long it shows.
    cache.set(key, found, OPEN_TRAININGS_SECONDS)
    return found
