"""Every transition x role: allowed for the right actor in the right state and pathway, refused otherwise."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from applicants.models import Business
from certification import services
from certification.models import Appeal, Application, ApplicationEvent, SehatiQuota
from certification.workflow import table as wf
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f

# One row per (action, state, pathway, guard): guarded edges are set up so that their guard holds.
EDGES = sorted(
    {
        (t.action, source, pathway, t.guard or "")
        for t in wf.TRANSITIONS
        for source in t.sources
        for pathway in wf.PATHWAYS
        if t.pathway in (None, pathway) and source in f.ROUTES[pathway] and t.role != wf.SYSTEM
    }
)
ACTORS = ["owner", "other_owner", "reviewer", "admin", "assigned_pph", "other_pph", "officer"]
EXPECTED = {
    wf.OWNER: {"owner"},
    wf.REVIEWER: {"reviewer", "admin"},
    wf.PPH: {"assigned_pph"},
}


def _snapshot(app: Application) -> tuple[Any, ...]:
    app.refresh_from_db()
    used = list(SehatiQuota.objects.order_by("pk").values_list("used", flat=True))
    return (app.state, app.version, app.due_on, ApplicationEvent.objects.filter(application=app).count(), used)


@pytest.fixture
def people(cast: f.Cast, bob: Any, ayu: Any, oscar: Any, make_user: Any) -> dict[str, Any]:
    return {
        "owner": cast.owner,
        "other_owner": bob,
        "reviewer": cast.reviewer,
        "admin": ayu,
        "assigned_pph": cast.pph,
        "other_pph": make_user("putri@example.test", "pph", full_name="Putri"),
        "officer": oscar,
        "other_reviewer": make_user("rudi@example.test", "reviewer", full_name="Rudi"),
    }


@pytest.mark.parametrize(("action", "source", "pathway", "guard"), EDGES)
def test_each_transition_is_allowed_only_for_its_actor(
    action: str, source: str, pathway: str, guard: str, cast: f.Cast, people: dict[str, Any], request: Any
) -> None:
    from certification.selectors import allowed_actions

    if f.needs_fees(pathway, source) or (pathway == "regular" and action == "appoint_lph"):
        request.getfixturevalue("fee_schedules")
    create = {"pph_id": cast.pph.pk} if guard == "pph_chosen" else {}
    app = f.drive(f.draft(cast.owner, pathway, **create), source, cast)
    if source == "appeal":  # the reviewer who rejected may not decide the appeal: say a colleague rejected
        colleague = people["other_reviewer"]
        Application.objects.filter(pk=app.pk).update(rejected_by=colleague)
        Appeal.objects.filter(application=app).update(rejected_by=colleague)
        app.refresh_from_db()
    if guard == "banding_window_open":  # a colleague dismissed the owner's objection today (test_banding drives it)
        Application.objects.filter(pk=app.pk).update(
            appeal_filed_on=cal.today(), appeal_decided_on=cal.today(), appeal_decided_by=people["other_reviewer"]
        )
        app.refresh_from_db()
    if action == "pph_validate":
        f.verify_all(app, cast.pph)
    today = cal.today()
    if guard == "owner_window_passed":
        today = app.owner_due_on + timedelta(days=1)
    with cal.as_of(today):
        holding = [e for e in wf.edges_for(action, source, pathway) if e.role != wf.SYSTEM and e.holds_for(app, today)]
        assert holding, (action, source, pathway, guard)
        allowed = set().union(*(EXPECTED[e.role] for e in holding))
        for who in ACTORS:
            assert (action in allowed_actions(app, people[who])) == (who in allowed), who
            if who in allowed:
                continue
            before = _snapshot(app)
            with pytest.raises(DomainError) as error:
                services.application_transition(
                    application_id=app.pk, action=action, actor=people[who], **f.payload_for(action, cast)
                )
            assert str(error.value).startswith(("Only", "Staff can cancel only after")), who
            assert _snapshot(app) == before, who
        actor = people[sorted(allowed)[-1]]  # reviewer edges: the reviewer; the admin is covered by allowed_actions
        edge = next(e for e in holding if people[sorted(EXPECTED[e.role])[-1]] == actor)
        expected_target = edge.target or app.returned_from or app.rejected_from  # an upheld appeal resumes
        result = services.application_transition(
            application_id=app.pk, action=action, actor=actor, **f.payload_for(action, cast)
        )
    result.refresh_from_db()
    assert result.state == expected_target
    event = ApplicationEvent.objects.filter(application=app).latest("id")
    assert (event.from_state, event.to_state, event.action, event.actor_id) == (
        source,
        expected_target,
        action,
        actor.pk,
    )


def test_the_platform_clock_escalates_a_regular_fatwa_and_no_person_can(
    cast: f.Cast, people: dict[str, Any], fee_schedules: None
) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "fatwa", cast)
    for who in ACTORS:
        with pytest.raises(DomainError):
            services.application_transition(application_id=app.pk, action="escalate_fatwa", actor=people[who])
    with pytest.raises(DomainError, match="still within the MUI fatwa session's limit"):
        services.application_transition(application_id=app.pk, action="escalate_fatwa", actor=None)
    with cal.as_of(app.due_on + timedelta(days=1)):
        services.application_transition(application_id=app.pk, action="escalate_fatwa", actor=None)
    app.refresh_from_db()
    assert app.state == "fatwa" and app.fatwa_escalated_at is not None
    assert ApplicationEvent.objects.filter(application=app, action="escalate_fatwa", actor=None).count() == 1


STATE_ACTIONS = [
    (pathway, state, action)
    for pathway in wf.PATHWAYS
    for state in f.ROUTES[pathway]
    for action in wf.ACTIONS
    if wf.transition_for(action, state, pathway) is None and not f.needs_fees(pathway, state)
]


@pytest.mark.parametrize(("pathway", "state", "action"), STATE_ACTIONS)
def test_actions_not_in_the_table_are_refused_and_write_nothing(
    pathway: str, state: str, action: str, cast: f.Cast, ayu: Any
) -> None:
    app = f.drive(f.draft(cast.owner, pathway), state, cast)
    before = _snapshot(app)
    with pytest.raises(DomainError) as error:
        services.application_transition(application_id=app.pk, action=action, actor=ayu, **f.payload_for(action, cast))
    assert "is not possible while the application is" in str(error.value)
    assert _snapshot(app) == before


def test_unknown_action_is_refused(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "self_declare")
    before = _snapshot(app)
    with pytest.raises(DomainError, match="Unknown action “fly”"):
        services.application_transition(application_id=app.pk, action="fly", actor=cast.owner)
    assert _snapshot(app) == before


@pytest.mark.parametrize(
    ("state", "action", "payload", "message"),
    [
        ("submitted", "return", {}, "The reason is required"),
        ("submitted", "return", {"reason": "   "}, "The reason is required"),
        ("verification", "reject", {}, "The reason is required"),
        ("fatwa", "declare_halal", {"fatwa_date": "2026-01-05"}, "The fatwa decision number is required"),
        ("fatwa", "declare_halal", {"fatwa_number": "KF-1"}, "The fatwa decision date is required"),
        ("submitted", "assign_pph", {}, "The halal process assistant is required"),
    ],
)
def test_missing_requirements_are_refused_and_write_nothing(
    state: str, action: str, payload: dict[str, Any], message: str, cast: f.Cast
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), state, cast)
    before = _snapshot(app)
    with pytest.raises(DomainError, match=message):
        services.application_transition(application_id=app.pk, action=action, actor=cast.reviewer, **payload)
    assert _snapshot(app) == before


def test_pph_validate_needs_a_visit_date_and_a_recommendation(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    f.verify_all(app, cast.pph, visit_date="", recommendation="")
    before = _snapshot(app)
    with pytest.raises(DomainError, match="Write the recommendation before validating"):
        services.application_transition(
            application_id=app.pk, action="pph_validate", actor=cast.pph, visit_date="2026-01-05"
        )
    with pytest.raises(DomainError, match="Record the date of the site visit before validating"):
        services.application_transition(application_id=app.pk, action="pph_validate", actor=cast.pph, report="ok")
    assert _snapshot(app) == before


def test_a_pledge_on_a_regular_application_is_refused(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "regular")
    with pytest.raises(DomainError, match="only signed for self-declare"):
        services.pledge_sign(application_id=app.pk, actor=cast.owner)
    app.refresh_from_db()
    assert app.pledge_signed_at is None and app.pledge_version == ""


def test_self_declare_submit_needs_the_pledge(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "self_declare", pledge=False)
    before = _snapshot(app)
    with pytest.raises(DomainError, match="Sign the self-declare pledge"):
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert _snapshot(app) == before


def test_self_declare_submit_needs_eligibility(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    app = f.draft(cast.owner, "self_declare", b)
    Business.objects.filter(pk=b.pk).update(outlets=3)  # eligible when drafted, no longer when submitted
    before = _snapshot(app)
    with pytest.raises(DomainError, match="does not meet the self-declare criteria: The business has 1 production"):
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert _snapshot(app) == before


def test_submit_needs_the_required_documents(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    p = f.product(b)
    docs = f.documents(b, ("nib",))
    app = services.application_create(
        actor=cast.owner, business_id=b.pk, pathway="regular", product_ids=[p.pk], document_ids=[d.pk for d in docs]
    )
    before = _snapshot(app)
    with pytest.raises(DomainError, match="Attach the required documents: Product photo"):
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert _snapshot(app) == before


def test_owner_cannot_create_an_application_for_another_owners_business(cast: f.Cast, bob: Any) -> None:
    b = f.business(bob)
    p = f.product(b)
    with pytest.raises(DomainError, match="only apply for a business you own"):
        services.application_create(actor=cast.owner, business_id=b.pk, pathway="regular", product_ids=[p.pk])
    assert not Application.objects.exists()


def test_a_stale_expected_state_is_a_conflict(cast: f.Cast) -> None:
    from core.errors import Conflict

    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    before = _snapshot(app)
    with pytest.raises(Conflict, match="Someone else changed this application meanwhile"):
        services.application_transition(
            application_id=app.pk, action="verify", actor=cast.reviewer, expected_state="verification"
        )
    assert _snapshot(app) == before
    assert SehatiQuota.objects.get().used == 1


def test_a_transition_sends_the_owner_an_email_in_both_languages(
    cast: f.Cast, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    app = f.draft(cast.owner, "self_declare")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [cast.owner.email]
    assert "Menunggu Pendamping PPH" in message.subject and "Waiting for an assistant" in message.subject
    assert "status baru" in message.body and "Menunggu Pendamping PPH" in message.body
    assert "Waiting for an assistant" in message.body


def test_resubmission_emails_the_reviewer_once_even_if_the_task_runs_twice(
    cast: f.Cast, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from certification.tasks import notify_reviewers_of_resubmission

    app = f.drive(f.draft(cast.owner, "self_declare"), "returned", cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application_id=app.pk, action="resubmit", actor=cast.owner)
    to_reviewer = [m for m in mailoutbox if cast.reviewer.email in m.to]
    assert len(to_reviewer) == 1
    event = ApplicationEvent.objects.filter(application=app, action="resubmit").get()
    assert notify_reviewers_of_resubmission(event.pk) == 0
    assert len([m for m in mailoutbox if cast.reviewer.email in m.to]) == 1


def test_refusals_are_in_indonesian_for_indonesian_users(cast: f.Cast) -> None:
    from django.utils import translation

    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    with translation.override("id"), pytest.raises(DomainError) as error:
        services.application_transition(application_id=app.pk, action="return", actor=cast.reviewer)
    assert str(error.value) == "Isian alasan wajib untuk “Kembalikan ke pelaku usaha”."
