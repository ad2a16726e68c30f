"""Property tests of the clocks and the quota over random walks through the workflow (hypothesis).

Each example takes a new application along random allowed actions on random days; after every step:
- a stage's due date is never a non-working day;
- paused time never counts toward the legal total;
- the legal working days used never exceed the legal total unless some stage went past its due date (or was
  returned on its last day, which resumes it with the minimum of one working day);
- a case never holds two Sehati places, and every pool's `used` equals the places held from it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certification import selectors, services
from certification.models import SehatiClaim, SehatiQuota
from certification.workflow import clock
from certification.workflow import table as wf
from core.calendar import days as cal
from tests.certification import factories as f

START = date(2026, 1, 5)
STEP = st.tuples(st.integers(min_value=0, max_value=9), st.integers(min_value=0, max_value=20))


def is_working_day(day: date) -> bool:
    return cal.working_days_between(day - timedelta(days=1), day) == 1


def _payload(action: str, cast: f.Cast, day: date) -> dict[str, Any]:
    payload = f.payload_for(action, cast)
    if "visit_date" in payload:
        payload["visit_date"] = day
    if "fatwa_date" in payload:
        payload["fatwa_date"] = day
    return payload


def _actors(cast: f.Cast) -> list[Any]:
    return [cast.owner, cast.reviewer, cast.pph]


def _check(app: Any) -> None:
    app.refresh_from_db()
    if app.due_on is not None:
        assert is_working_day(app.due_on), (app.state, app.due_on)
    assert SehatiClaim.objects.filter(application=app).count() <= 1
    for quota in SehatiQuota.objects.all():
        assert quota.used == SehatiClaim.objects.filter(quota=quota, released_at__isnull=True).count()


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pathway=st.sampled_from(wf.PATHWAYS), steps=st.lists(STEP, min_size=1, max_size=10))
def test_random_walks_keep_the_clock_and_quota_rules(
    pathway: str, steps: list[tuple[int, int]], cast: f.Cast, fee_schedules: None
) -> None:
    day = START
    with cal.as_of(day):
        app = f.draft(cast.owner, pathway)
    overdue_seen = False
    for gap, pick in steps:
        before = clock.legal_clock(app, day)
        paused = app.state in wf.PAUSED_STATES
        day += timedelta(days=gap)
        if paused and before is not None:
            assert clock.legal_clock(app, day).used == before.used  # waiting for the owner never counts
        choices = [
            (action, actor)
            for actor in _actors(cast)
            for action in selectors.allowed_actions(app, actor, day)
            if action != "issue"  # issuing renders a PDF: covered elsewhere, too slow for a random walk
        ]
        if not choices:
            break
        action, actor = choices[pick % len(choices)]
        overdue_seen = overdue_seen or clock.is_overdue(app, day)
        with cal.as_of(day):
            if action == "pph_validate":  # the assistant's checklist, complete, comes first
                f.verify_all(app, cast.pph)
            services.application_transition(
                application_id=app.pk, action=action, actor=actor, **_payload(action, cast, day)
            )
        _check(app)
        # A return on a stage's last day resumes it with one working day (the rule's minimum): count it as late.
        overdue_seen = overdue_seen or app.paused_remaining_days == 0
        legal = clock.legal_clock(app, day)
        if legal is not None and not overdue_seen:
            assert legal.used <= legal.total, (action, legal)
