"""Banding (UU 30/2014 Ps 78): a dismissed objection may go to the superior office within 10 working days of the
objection's decision; the superior office (a national reviewer or an administrator who decided neither the
rejection nor the objection) decides within 10 working days. Issue 31, third pass."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from rest_framework.test import APIClient

from certification import services
from certification.models import Appeal, Application, ApplicationEvent
from certification.selectors import allowed_actions
from certification.workflow import table as wf
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f
from tests.conftest import national, works_for

pytestmark = pytest.mark.django_db
REASON = "The supplier's certificate was valid on the day of the fatwa."


@pytest.fixture
def rudi(make_user: Any) -> Any:
    """The regional reviewer who decides (and dismisses) the objection against rina's rejection."""
    return works_for(make_user("rudi@example.test", "reviewer", full_name="Rudi Hartono"), "18")


@pytest.fixture
def nadia(make_user: Any) -> Any:
    """A national reviewer: the superior office of the regional reviewers."""
    return national(make_user("nadia@example.test", "reviewer", full_name="Nadia Putri"))


def _snapshot(app: Application) -> tuple[Any, ...]:
    app.refresh_from_db()
    return (
        app.state,
        app.version,
        app.banding_filed_on,
        Appeal.objects.filter(application=app).count(),
        ApplicationEvent.objects.filter(application=app).count(),
    )


def _dismissed(cast: f.Cast, rudi: Any, pathway: str = wf.REGULAR) -> Application:
    """Rejected at document verification by rina, objected to by the owner, the objection dismissed by rudi."""
    app = f.drive(f.draft(cast.owner, pathway), "verification", cast)
    services.application_transition(application_id=app.pk, action="reject", actor=cast.reviewer, reason="No NIB.")
    services.application_transition(application_id=app.pk, action="file_appeal", actor=cast.owner, reason="It is.")
    return services.application_transition(
        application_id=app.pk, action="dismiss_appeal", actor=rudi, reason="The NIB was issued after the decision."
    )


def _banding(app: Application, owner: Any) -> Application:
    return services.application_transition(application_id=app.pk, action="file_banding", actor=owner, reason=REASON)


def test_a_dismissed_objection_opens_a_banding_window_of_10_working_days(cast: f.Cast, rudi: Any) -> None:
    app = _dismissed(cast, rudi)
    assert (app.state, app.appeal_decided_on, app.appeal_decided_by_id) == ("rejected", cal.today(), rudi.pk)
    assert wf.banding_window_ends(app) == cal.add_working_days(cal.today(), 10)
    assert "file_banding" in allowed_actions(app, cast.owner)
    assert "file_appeal" not in allowed_actions(app, cast.owner)


def test_a_banding_on_the_last_day_is_accepted_and_the_day_after_refused_with_nothing_written(
    cast: f.Cast, rudi: Any
) -> None:
    app = _dismissed(cast, rudi)
    last_day = cal.add_working_days(app.appeal_decided_on, 10)
    assert cal.working_days_between(app.appeal_decided_on, last_day) == 10
    before = _snapshot(app)
    with cal.as_of(last_day + timedelta(days=1)):
        assert "file_banding" not in allowed_actions(app, cast.owner)
        with translation.override("id"), pytest.raises(DomainError) as refused:
            _banding(app, cast.owner)
    with translation.override("id"):
        expected = date_format(last_day, "j F Y")
    assert "10 hari kerja" in str(refused.value) and "UU 30/2014 Pasal 78" in str(refused.value)
    assert expected in str(refused.value)
    assert _snapshot(app) == before
    with cal.as_of(last_day):
        app = _banding(app, cast.owner)
        assert app.state == "banding"
        assert app.due_on == cal.add_working_days(last_day, 10)
    banding = Appeal.objects.get(application=app, level="banding")
    assert (banding.rejected_from, banding.rejected_by_id, banding.reason) == ("verification", cast.reviewer.pk, REASON)
    assert banding.decide_by == cal.add_working_days(last_day, 10)


def test_a_banding_needs_a_dismissed_objection_first_and_nothing_is_written(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, wf.REGULAR), "rejected", cast)
    before = _snapshot(app)
    with translation.override("id"), pytest.raises(DomainError, match="keberatan"):
        _banding(app, cast.owner)
    assert _snapshot(app) == before


def test_only_one_banding_and_a_dismissed_banding_is_final(
    cast: f.Cast, rudi: Any, nadia: Any, django_capture_on_commit_callbacks: Any
) -> None:
    app = _banding(_dismissed(cast, rudi), cast.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_transition(
            application_id=app.pk, action="dismiss_banding", actor=nadia, reason="The objection was rightly dismissed."
        )
    (told,) = [m for m in mail.outbox if cast.owner.email in m.to]
    assert "PTUN" in told.body and "The objection was rightly dismissed." in told.body
    assert app.state == "rejected" and app.due_on is None
    assert Appeal.objects.get(application=app, level="banding").decision == "dismissed"
    assert allowed_actions(app, cast.owner) == []
    before = _snapshot(app)
    with pytest.raises(DomainError, match="already filed; only one is possible"):
        _banding(app, cast.owner)
    assert _snapshot(app) == before


def test_an_upheld_banding_resumes_the_case_at_the_stage_it_was_rejected_from(
    cast: f.Cast, rudi: Any, ayu: Any
) -> None:
    app = _banding(_dismissed(cast, rudi), cast.owner)
    app = services.application_transition(application_id=app.pk, action="uphold_banding", actor=ayu, reason="Valid.")
    assert app.state == "verification" and app.rejected_from == ""
    assert app.due_on == cal.add_working_days(cal.today(), wf.sla_days("verification", wf.REGULAR))
    banding = Appeal.objects.get(application=app, level="banding")
    assert (banding.decision, banding.decided_by_id) == ("upheld", ayu.pk)
    actions = list(ApplicationEvent.objects.filter(application=app).values_list("action", flat=True))
    assert actions[-5:] == ["reject", "file_appeal", "dismiss_appeal", "file_banding", "uphold_banding"]


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("owner", False),
        ("other_owner", False),
        ("rejecting_reviewer", False),
        ("objection_decider", False),
        ("regional_reviewer", False),
        ("national_reviewer", True),
        ("admin", True),
        ("assistant", False),
        ("officer", False),
    ],
)
def test_only_the_superior_office_decides_a_banding(
    who: str,
    may: bool,
    cast: f.Cast,
    rudi: Any,
    nadia: Any,
    ayu: Any,
    bob: Any,
    oscar: Any,
    make_user: Any,
) -> None:
    app = _banding(_dismissed(cast, rudi), cast.owner)
    people = {
        "owner": cast.owner,
        "other_owner": bob,
        "rejecting_reviewer": cast.reviewer,
        "objection_decider": rudi,
        "regional_reviewer": works_for(make_user("sari@example.test", "reviewer", full_name="Sari"), "18"),
        "national_reviewer": nadia,
        "admin": ayu,
        "assistant": cast.pph,
        "officer": oscar,
    }
    actor = people[who]
    app.refresh_from_db()
    assert (set(allowed_actions(app, actor)) == {"uphold_banding", "dismiss_banding"}) is may
    if may:
        services.application_transition(application_id=app.pk, action="dismiss_banding", actor=actor, reason="No.")
        assert Application.objects.get(pk=app.pk).state == "rejected"
        return
    before = _snapshot(app)
    for action in ("uphold_banding", "dismiss_banding"):
        with pytest.raises(DomainError):
            services.application_transition(application_id=app.pk, action=action, actor=actor, reason="x")
        assert _snapshot(app) == before
    assert Appeal.objects.get(application=app, level="banding").decided_at is None


def test_a_national_reviewer_who_decided_the_objection_may_not_decide_the_banding(
    cast: f.Cast, nadia: Any, ayu: Any
) -> None:
    app = _banding(_dismissed(cast, nadia), cast.owner)
    assert allowed_actions(app, nadia) == []
    with translation.override("id"), pytest.raises(DomainError, match="Pasal 78"):
        services.application_transition(application_id=app.pk, action="uphold_banding", actor=nadia, reason="x")
    assert set(allowed_actions(app, ayu)) == {"uphold_banding", "dismiss_banding"}


def test_the_owner_files_a_banding_on_the_page_and_the_superior_office_is_told(
    cast: f.Cast, rudi: Any, nadia: Any, ayu: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        app = _dismissed(cast, rudi)
    told = [m for m in mail.outbox if cast.owner.email in m.to]
    assert told and "banding" in told[-1].body and date_format(wf.banding_window_ends(app), "d-m-Y") in told[-1].body
    client = APIClient()
    client.force_login(cast.owner)
    page = client.get(reverse("certification:owner-application", args=[app.pk]), HTTP_ACCEPT_LANGUAGE="id")
    html = page.content.decode()
    assert 'id="banding-window"' in html and "file_banding" in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certification:act", args=[app.pk]),
            {"action": "file_banding", "expected_state": "rejected", "reason": REASON, "attachment": f.pdf()},
        )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "banding"
    to_staff = sorted(email for m in mail.outbox for email in m.to if cast.owner.email not in m.to)
    assert to_staff == sorted([nadia.email, ayu.email])  # never rina (rejected) nor rudi (decided the objection)
    assert any(cast.owner.email in m.to for m in mail.outbox)
    # The API shows both remedies, in order, to the owner; another owner gets 404.
    detail = client.get(f"/api/v1/applications/{app.pk}/").json()
    assert [a["level"] for a in detail["remedies"]["appeals"]] == ["objection", "banding"]
    assert detail["remedies"]["appeals"][0]["decision"] == "dismissed"
    assert detail["state"] == "banding"
    assert detail["remedies"]["banding_window_ends"] is None


def test_another_owner_gets_404_for_a_case_in_banding(cast: f.Cast, rudi: Any, bob: Any) -> None:
    app = _banding(_dismissed(cast, rudi), cast.owner)
    client = APIClient()
    client.force_login(bob)
    assert client.get(f"/api/v1/applications/{app.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/applications/{app.pk}/transitions/", {"action": "dismiss_banding", "reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=app.pk).state == "banding"


def test_the_case_page_shows_the_banding_to_the_superior_office(cast: f.Cast, rudi: Any, nadia: Any) -> None:
    app = _banding(_dismissed(cast, rudi), cast.owner)
    client = APIClient()
    client.force_login(nadia)
    html = client.get(reverse("certification:case", args=[app.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Banding Diajukan" in html and "uphold_banding" in html and "dismiss_banding" in html
    assert "valid on the day of the fatwa" in html  # the banding's reasons


def test_the_settings_default_to_the_cited_periods_and_unconfirmed_ones_say_so(settings: Any) -> None:
    import json
    from pathlib import Path

    import certification

    data = json.loads((Path(certification.__file__).parent / "data" / "administrative_remedies.json").read_text())
    for row in data["remedies"]:
        assert getattr(settings, row["setting"]) == row["working_days"], row["setting"]
        assert row["cite"].startswith("UU 30/2014 Ps 7")
        assert row["confirmed"] is False or str(row["confirmed"]).startswith("secondary:")
    assert {r["setting"]: r["confirmed"] for r in data["remedies"]}["BANDING_WINDOW_WORKING_DAYS"] is False
