"""Batch assignment of reviewers and assistants (not a state change)."""

from __future__ import annotations

from typing import Any

import pytest

from certification import services
from certification.models import Application, ApplicationEvent
from core.errors import DomainError
from tests.certification import factories as f


def test_reviewer_assigns_many_cases_at_once_without_changing_their_state(cast: f.Cast) -> None:
    apps = [f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast) for _ in range(3)]
    events = ApplicationEvent.objects.count()
    count = services.application_assign(
        application_ids=[a.pk for a in apps], actor=cast.reviewer, reviewer=cast.reviewer
    )
    assert count == 3
    rows = set(Application.objects.values_list("state", "assigned_reviewer", "assigned_pph"))
    assert rows == {("pph_verification", cast.reviewer.pk, cast.pph.pk)}
    assert ApplicationEvent.objects.count() == events


def test_assigning_an_assistant_to_cases_waiting_for_one_moves_them_to_the_assistant(cast: f.Cast) -> None:
    apps = [f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast) for _ in range(3)]
    events = ApplicationEvent.objects.count()
    count = services.application_assign(
        application_ids=[a.pk for a in apps], actor=cast.reviewer, reviewer=cast.reviewer, pph=cast.pph
    )
    assert count == 3
    rows = set(Application.objects.values_list("state", "assigned_reviewer", "assigned_pph"))
    assert rows == {("pph_verification", cast.reviewer.pk, cast.pph.pk)}
    assert ApplicationEvent.objects.filter(action="assign_pph").count() == 3
    assert ApplicationEvent.objects.count() == events + 3


@pytest.mark.parametrize(
    ("who", "message"),
    [("owner", "Only reviewers can assign applications."), ("pph", "Only reviewers can assign applications.")],
)
def test_only_reviewers_assign(who: str, message: str, cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    with pytest.raises(DomainError, match=message):
        services.application_assign(application_ids=[app.pk], actor=getattr(cast, who), reviewer=cast.reviewer)
    app.refresh_from_db()
    assert app.assigned_reviewer_id is None


def test_assistants_are_not_assigned_to_regular_cases(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "verification", cast)
    with pytest.raises(DomainError, match="only assigned to self-declare applications"):
        services.application_assign(application_ids=[app.pk], actor=cast.reviewer, pph=cast.pph)
    app.refresh_from_db()
    assert app.assigned_pph_id is None


def test_a_user_without_the_role_cannot_be_assigned(cast: f.Cast, oscar: Any) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    with pytest.raises(DomainError, match="is not a halal process assistant"):
        services.application_assign(application_ids=[app.pk], actor=cast.reviewer, pph=oscar)
    with pytest.raises(DomainError, match="is not a reviewer"):
        services.application_assign(application_ids=[app.pk], actor=cast.reviewer, reviewer=oscar)
    app.refresh_from_db()
    assert (app.assigned_pph_id, app.assigned_reviewer_id) == (None, None)


def test_closed_cases_are_not_assigned(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "cancelled", cast)
    with pytest.raises(DomainError, match="closed or do not exist"):
        services.application_assign(application_ids=[app.pk], actor=cast.reviewer, reviewer=cast.reviewer)
    app.refresh_from_db()
    assert app.assigned_reviewer_id is None
