"""Appeals (keberatan) against a rejection, and staff who own a business never acting on its cases (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from certification import services
from certification.models import Appeal, Application, ApplicationEvent, SehatiClaim
from certification.selectors import allowed_actions
from certification.workflow import table as wf
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f


@pytest.fixture
def rudi(make_user: Any) -> Any:
    """A second reviewer: the one who decides an appeal against rina's rejection."""
    return make_user("rudi@example.test", "reviewer", full_name="Rudi Hartono")


def _snapshot(app: Application) -> tuple[Any, ...]:
    app.refresh_from_db()
    return (
        app.state,
        app.version,
        app.appeal_filed_on,
        Appeal.objects.filter(application=app).count(),
        ApplicationEvent.objects.filter(application=app).count(),
    )


def _rejected(cast: f.Cast, pathway: str = wf.SELF_DECLARE, at: str = "verification") -> Application:
    app = f.drive(f.draft(cast.owner, pathway), at, cast)
    decision = f.payload_for("reject", cast) if at == "fatwa" else {}  # a "not halal" decision, recorded
    return services.application_transition(
        application_id=app.pk,
        action="reject",
        actor=cast.reviewer,
        **{**decision, "reason": "Gelatine of unknown origin."},
    )


def _appeal(app: Application, cast: f.Cast, **extra: Any) -> Application:
    return services.application_transition(
        application_id=app.pk, action="file_appeal", actor=cast.owner, reason="It is bovine gelatine.", **extra
    )


def test_an_upheld_appeal_resumes_the_case_at_the_stage_it_was_rejected_from(cast: f.Cast, rudi: Any) -> None:
    app = _rejected(cast, at="verification")
    assert (app.rejected_from, app.rejected_by_id) == ("verification", cast.reviewer.pk)
    app = _appeal(app, cast)
    assert app.state == "appeal" and app.due_on == cal.add_working_days(cal.today(), 10)
    appeal = Appeal.objects.get(application=app)
    assert (appeal.rejected_from, appeal.rejected_by_id, appeal.decision) == ("verification", cast.reviewer.pk, "")

    app = services.application_transition(
        application_id=app.pk, action="uphold_appeal", actor=rudi, reason="The certificate covers it."
    )
    assert app.state == "verification"
    assert app.due_on == cal.add_working_days(cal.today(), wf.sla_days("verification", wf.SELF_DECLARE))
    assert (app.rejection_reason, app.rejected_from, app.returned_from) == ("", "", "")
    appeal.refresh_from_db()
    assert (appeal.decision, appeal.decided_by_id) == ("upheld", rudi.pk) and appeal.decided_at is not None
    actions = list(ApplicationEvent.objects.filter(application=app).values_list("action", flat=True))
    assert actions[-3:] == ["reject", "file_appeal", "uphold_appeal"]
    # The resumed case goes on to the certificate as any other.
    services.application_transition(application_id=app.pk, action="verify", actor=rudi)
    app.refresh_from_db()
    assert app.state == "fatwa"


def test_an_upheld_self_declare_appeal_after_the_fatwa_takes_the_released_sehati_place_again(
    cast: f.Cast, rudi: Any
) -> None:
    app = _rejected(cast, at="fatwa")
    claim = SehatiClaim.objects.get(application=app)
    assert claim.released_at is not None
    _appeal(app, cast)
    app = services.application_transition(application_id=app.pk, action="uphold_appeal", actor=rudi, reason="OK.")
    assert app.state == "fatwa"
    claim.refresh_from_db()
    assert claim.released_at is None and app.sehati_quota_id == claim.quota_id


def test_a_dismissed_appeal_leaves_the_case_rejected_and_a_second_appeal_is_refused(cast: f.Cast, rudi: Any) -> None:
    app = _appeal(_rejected(cast, pathway=wf.REGULAR, at="verification"), cast)
    app = services.application_transition(
        application_id=app.pk, action="dismiss_appeal", actor=rudi, reason="The certificate expired in 2024."
    )
    assert app.state == "rejected" and app.due_on is None
    assert Appeal.objects.get(application=app).decision == "dismissed"
    before = _snapshot(app)
    with pytest.raises(DomainError, match="already filed; only one is possible"):
        _appeal(app, cast)
    assert _snapshot(app) == before
    assert "file_appeal" not in allowed_actions(app, cast.owner)


def test_the_reviewer_who_rejected_cannot_decide_the_appeal(cast: f.Cast, ayu: Any) -> None:
    app = _appeal(_rejected(cast), cast)
    assert allowed_actions(app, cast.reviewer) == []
    assert set(allowed_actions(app, ayu)) == {"uphold_appeal", "dismiss_appeal"}
    before = _snapshot(app)
    for action in ("uphold_appeal", "dismiss_appeal"):
        with pytest.raises(DomainError, match="The reviewer who rejected the case cannot decide its appeal"):
            services.application_transition(application_id=app.pk, action=action, actor=cast.reviewer, reason="x")
        assert _snapshot(app) == before
    assert Appeal.objects.get(application=app).decided_at is None


def test_an_objection_after_21_working_days_is_refused_and_writes_nothing(cast: f.Cast) -> None:
    """UU 30/2014 Ps 77(1): an objection within 21 working days of the decision, on the office calendar."""
    app = _rejected(cast)
    last_day = cal.add_working_days(app.rejected_on, 21)
    assert cal.working_days_between(app.rejected_on, last_day) == 21
    assert (last_day - app.rejected_on).days >= 29  # 21 working days: at least four weeks and a day
    before = _snapshot(app)
    day_after = last_day + timedelta(days=1)
    with cal.as_of(day_after):
        assert "file_appeal" not in allowed_actions(app, cast.owner)
        with translation.override("en"), pytest.raises(DomainError, match="within 21 working days") as refused:
            _appeal(app, cast)
    with translation.override("en"):
        assert "UU 30/2014" in str(refused.value) and date_format(last_day, "j F Y") in str(refused.value)
    assert _snapshot(app) == before
    with cal.as_of(last_day):
        assert _appeal(app, cast).state == "appeal"


def test_the_objection_window_counts_working_days_across_a_holiday(cast: f.Cast) -> None:
    """A rejection on 1 December 2026: 21 working days skip the weekends and Christmas (25 December, plus the
    cuti bersama the 2026 calendar gives), so the last day is in January 2027, not 22 December."""
    app = _rejected(cast)
    Application.objects.filter(pk=app.pk).update(rejected_on=date(2026, 12, 1))
    app.refresh_from_db()
    ends = wf.appeal_window_ends(app)
    assert ends == cal.add_working_days(date(2026, 12, 1), 21)
    assert ends is not None and ends > date(2026, 12, 30)
    assert not cal.is_working_day(date(2026, 12, 25))


def test_an_appeal_needs_a_reason_and_only_the_owner_files_it(cast: f.Cast, bob: Any, rudi: Any) -> None:
    app = _rejected(cast)
    before = _snapshot(app)
    with pytest.raises(DomainError, match="reason is required"):
        services.application_transition(application_id=app.pk, action="file_appeal", actor=cast.owner, reason="  ")
    for someone in (bob, rudi, cast.pph):
        with pytest.raises(DomainError, match="^Only"):
            services.application_transition(application_id=app.pk, action="file_appeal", actor=someone, reason="x")
    assert _snapshot(app) == before


def test_an_appeal_attachment_that_is_not_a_pdf_or_image_is_refused(cast: f.Cast) -> None:
    app = _rejected(cast)
    before = _snapshot(app)
    html = SimpleUploadedFile("letter.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(DomainError, match="Only PDF, JPEG and PNG"):
        _appeal(app, cast, attachment=html)
    assert _snapshot(app) == before


def test_the_owner_files_an_appeal_with_an_attachment_from_the_page_and_reviewers_are_told(
    client: Any, cast: f.Cast, rudi: Any, django_capture_on_commit_callbacks: Any
) -> None:
    app = _rejected(cast)
    client.force_login(cast.owner)
    page = client.get(reverse("certification:owner-application", args=[app.pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert 'id="appeal-window"' in page.content.decode() and "file_appeal" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certification:act", args=[app.pk]),
            {
                "action": "file_appeal",
                "expected_state": "rejected",
                "reason": "The gelatine is bovine; the certificate is attached.",
                "attachment": f.pdf("sertifikat-gelatin.pdf"),
            },
        )
    assert response.status_code == 302
    app.refresh_from_db()
    appeal = Appeal.objects.get(application=app)
    assert app.state == "appeal" and appeal.attachment_name == "sertifikat-gelatin.pdf"
    # The rejecting reviewer is not asked to decide; the other reviewer is.
    to_reviewers = [m for m in mail.outbox if m.subject.startswith("Keberatan atas")]
    assert [m.to for m in to_reviewers] == [[rudi.email]]
    assert any(cast.owner.email in m.to for m in mail.outbox)
    # The reviewer opens the attachment from the case page; another owner gets 404.
    client.force_login(rudi)
    case = client.get(reverse("certification:case", args=[app.pk])).content.decode()
    url = reverse("certification:appeal-attachment", args=[app.pk, appeal.pk])
    assert url in case and "uphold_appeal" in case
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(cast.reviewer)
    assert "uphold_appeal" not in client.get(reverse("certification:case", args=[app.pk])).content.decode()


def test_someone_elses_appeal_attachment_answers_404(client: Any, cast: f.Cast, bob: Any) -> None:
    app = _appeal(_rejected(cast), cast, attachment=f.pdf())
    appeal = Appeal.objects.get(application=app)
    client.force_login(bob)
    assert client.get(reverse("certification:appeal-attachment", args=[app.pk, appeal.pk])).status_code == 404


# --- Conflict of interest ---
def test_staff_who_own_the_business_never_act_on_its_case(cast: f.Cast, make_user: Any) -> None:
    both = make_user("dewi@example.test", "owner", "reviewer", "pph", full_name="Dewi")
    b = f.business(both)
    app = f.drive(
        f.draft(both, wf.SELF_DECLARE, b), "submitted", f.Cast(owner=both, reviewer=cast.reviewer, pph=cast.pph)
    )
    assert allowed_actions(app, both) == ["cancel"]  # as the owner only
    before = _snapshot(app)
    with pytest.raises(DomainError, match="You own this business"):
        services.application_transition(application_id=app.pk, action="assign_pph", actor=both, pph=cast.pph.pk)
    assert _snapshot(app) == before
    with pytest.raises(DomainError, match="business they own"):
        services.application_assign(application_ids=[app.pk], actor=cast.reviewer, reviewer=both)
    app.refresh_from_db()
    assert app.assigned_reviewer_id is None
    with pytest.raises(DomainError, match="business they own"):
        services.application_transition(application_id=app.pk, action="assign_pph", actor=cast.reviewer, pph=both.pk)
    assert _snapshot(app) == before
