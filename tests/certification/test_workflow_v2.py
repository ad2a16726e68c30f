"""Workflow version 2 as an office would try it: returns resume their stage, nothing is asked twice, the LPH is
appointed before payment, the legal clock and the office's windows, the fatwa's deciding body and its escalation."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from certification import services
from certification.models import Application, ApplicationEvent, CaseDocument, CaseReminder, SehatiClaim, SehatiQuota
from certification.workflow import clock
from certification.workflow import table as wf
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f
from tests.pdftools import pdf_text

pytestmark = pytest.mark.usefixtures("fee_schedules")


def _act(app: Application, action: str, actor: Any, **payload: Any) -> Application:
    services.application_transition(application_id=app.pk, action=action, actor=actor, **payload)
    app.refresh_from_db()
    return app


def test_a_case_returned_from_the_lph_audit_resumes_there_without_a_second_invoice_or_payment(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_examination", cast)
    invoice, paid_at = app.invoice_reference, app.paid_at
    app = _act(app, "return", cast.reviewer, reason="The LPH needs the supplier's certificate.")
    assert (app.state, app.returned_from) == ("returned", "lph_examination")
    app = _act(app, "resubmit", cast.owner)
    assert app.state == "lph_examination"
    assert (app.invoice_reference, app.paid_at) == (invoice, paid_at)
    assert ApplicationEvent.objects.filter(application=app, action="record_payment").count() == 1
    assert not app.returned_from


def test_a_self_declare_case_returned_from_fatwa_keeps_its_one_sehati_place(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    assert SehatiQuota.objects.get(region=None).used == 1
    app = _act(app, "return", cast.reviewer, reason="The Komite asks for the label photo.")
    app = _act(app, "resubmit", cast.owner)
    assert app.state == "fatwa"
    assert SehatiQuota.objects.get(region=None).used == 1
    assert SehatiClaim.objects.filter(application=app).count() == 1


def test_verifying_a_case_that_holds_a_place_takes_no_second_one(cast: f.Cast) -> None:
    from certification.workflow.quota import quota_claim

    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    claim = SehatiClaim.objects.get(application=app)
    assert quota_claim(application=app, today=cal.today()) == claim.quota
    assert list(SehatiClaim.objects.values_list("pk", flat=True)) == [claim.pk]
    assert SehatiQuota.objects.get(region=None).used == 1


def test_a_resumed_stage_gets_the_working_days_it_had_left(cast: f.Cast) -> None:
    with cal.as_of(date(2026, 4, 6)):  # Monday
        app = f.drive(f.draft(cast.owner, "regular"), "lph_examination", cast)
    assert app.due_on == cal.add_working_days(date(2026, 4, 6), 15)
    with cal.as_of(date(2026, 4, 13)):  # five working days later: 10 left
        app = _act(app, "return", cast.reviewer, reason="Missing supplier letter")
    assert app.paused_remaining_days == 10
    with cal.as_of(date(2026, 5, 4)):
        app = _act(app, "resubmit", cast.owner)
    assert (app.state, app.due_on) == ("lph_examination", cal.add_working_days(date(2026, 5, 4), 10))


def test_a_case_returned_after_its_deadline_resumes_with_at_least_one_working_day(cast: f.Cast) -> None:
    with cal.as_of(date(2026, 4, 6)):
        app = f.drive(f.draft(cast.owner, "regular"), "verification", cast)
    with cal.as_of(date(2026, 4, 20)):  # long past its 1 working day
        app = _act(app, "return", cast.reviewer, reason="Late, but unreadable")
    assert app.paused_remaining_days == 0
    with cal.as_of(date(2026, 4, 21)):
        app = _act(app, "resubmit", cast.owner)
    assert app.due_on == cal.add_working_days(date(2026, 4, 21), 1)


def test_the_legal_clock_counts_working_days_in_legal_stages_only(cast: f.Cast) -> None:
    with cal.as_of(date(2026, 4, 6)):
        app = f.draft(cast.owner, "regular")
        app = _act(app, "submit", cast.owner, **f.payload_for("submit", cast))
    with cal.as_of(date(2026, 4, 7)):
        app = _act(app, "verify", cast.reviewer)
    with cal.as_of(date(2026, 4, 8)):
        app = _act(app, "appoint_lph", cast.reviewer)
    assert app.state == "awaiting_payment"
    used_before_payment = app.legal_days_used
    with cal.as_of(date(2026, 4, 30)):  # three weeks waiting for the owner's payment: paused
        legal = clock.legal_clock(app)
        assert legal is not None and not legal.running and legal.used == used_before_payment == 2
        app = _act(app, "record_payment", cast.reviewer, payment_proof=f.pdf())
    with cal.as_of(date(2026, 5, 5)):
        legal = clock.legal_clock(app)
    assert legal is not None and legal.running
    assert legal.total == 21 and legal.used == 2 + cal.working_days_between(date(2026, 4, 30), date(2026, 5, 5))
    assert legal.due_on == cal.add_working_days(date(2026, 5, 5), legal.total - legal.used)


def test_the_self_declare_intake_is_an_office_standard_outside_the_twelve_days(cast: f.Cast) -> None:
    with cal.as_of(date(2026, 4, 6)):
        app = _act(f.draft(cast.owner, "self_declare"), "submit", cast.owner, **f.payload_for("submit", cast))
    assert app.state == "submitted" and app.due_on == cal.add_working_days(date(2026, 4, 6), 1)
    with cal.as_of(date(2026, 4, 10)):
        legal = clock.legal_clock(app)
        assert legal is not None and (legal.used, legal.total, legal.running) == (0, 12, False)
        app = _act(app, "assign_pph", cast.reviewer, pph=cast.pph.pk)
    with cal.as_of(date(2026, 4, 13)):
        assert clock.legal_clock(app).used == 1


def test_an_owner_who_chose_an_assistant_goes_straight_to_the_assistant(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "self_declare", pph_id=cast.pph.pk)
    app = _act(app, "submit", cast.owner, **f.payload_for("submit", cast))
    assert (app.state, app.assigned_pph_id) == ("pph_verification", cast.pph.pk)
    assert app.due_on is not None


def test_a_regular_application_needs_an_lph_before_submission(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "regular", lph_id=None)
    events = ApplicationEvent.objects.filter(application=app).count()
    with pytest.raises(DomainError, match="Choose the halal examination agency"):
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    app.refresh_from_db()
    assert app.state == "draft" and ApplicationEvent.objects.filter(application=app).count() == events


def test_an_lph_that_does_not_serve_the_province_is_refused(cast: f.Cast) -> None:
    java = f.lph("LPH Jawa Barat Uji", national=False, province_codes=["32"])
    b = f.business(cast.owner)
    with pytest.raises(DomainError, match="serves your province"):
        services.application_create(
            actor=cast.owner, business_id=b.pk, pathway="regular", product_ids=[f.product(b).pk], lph_id=java.pk
        )
    assert not Application.objects.exists()
    app = f.drive(f.draft(cast.owner, "regular"), "lph_appointment", cast)
    with pytest.raises(DomainError, match="does not serve this province"):
        services.application_transition(application_id=app.pk, action="appoint_lph", actor=cast.reviewer, lph=java.pk)
    app.refresh_from_db()
    assert (app.state, app.invoice_reference) == ("lph_appointment", "")


def test_the_reviewer_may_change_the_lph_at_the_appointment(cast: f.Cast) -> None:
    lampung = f.lph("LPH Lampung Uji", national=False, province_codes=["18"])
    app = f.drive(f.draft(cast.owner, "regular"), "lph_appointment", cast)
    app = _act(app, "appoint_lph", cast.reviewer, lph=lampung.pk)
    assert (app.state, app.lph_id) == ("awaiting_payment", lampung.pk)
    assert ApplicationEvent.objects.filter(application=app).latest("id").data["lph"] == "LPH Lampung Uji"


def test_an_audit_extension_moves_the_due_date_and_adds_to_the_legal_total(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_examination", cast)
    due = app.due_on
    app = _act(app, "extend_audit", cast.reviewer, reason="Laboratory test of the imported spice", extra_days=5)
    assert (app.state, app.due_on, app.legal_extension_days) == ("lph_examination", cal.add_working_days(due, 5), 5)
    assert clock.legal_clock(app).total == 26
    event = ApplicationEvent.objects.filter(application=app).latest("id")
    assert (event.action, event.data["extra_days"], event.note) == (
        "extend_audit",
        5,
        "Laboratory test of the imported spice",
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"extra_days": 5}, "The reason is required"),
        ({"reason": "Lab"}, "The extra working days is required"),
        ({"reason": "Lab", "extra_days": 0}, "1 to 30 working days"),
        ({"reason": "Lab", "extra_days": 31}, "1 to 30 working days"),
        ({"reason": "Lab", "extra_days": "lima"}, "whole number"),
    ],
)
def test_a_bad_extension_is_refused_and_writes_nothing(cast: f.Cast, payload: dict[str, Any], message: str) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_examination", cast)
    before = (app.due_on, app.legal_extension_days, app.version)
    with pytest.raises(DomainError, match=message):
        services.application_transition(application_id=app.pk, action="extend_audit", actor=cast.reviewer, **payload)
    app.refresh_from_db()
    assert (app.due_on, app.legal_extension_days, app.version) == before


def test_the_fatwa_records_its_deciding_body_and_self_declare_is_decided_by_the_komite(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    with pytest.raises(DomainError, match="decided by the Komite Fatwa"):
        services.application_transition(
            application_id=app.pk,
            action="declare_halal",
            actor=cast.reviewer,
            fatwa_number="KF-1",
            fatwa_date=date.today(),
            fatwa_body="mui_session",
        )
    app = _act(app, "declare_halal", cast.reviewer, **f.payload_for("declare_halal", cast))
    assert (app.state, app.fatwa_body) == ("issuance", "komite_fatwa")
    assert app.due_on == cal.today()  # self-declare: issued the working day of the decision


def test_the_daily_clock_passes_a_late_regular_fatwa_to_the_komite_once(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "fatwa", cast)
    late = (app.due_on + timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("clock_tick", today=late, stdout=out)
    call_command("clock_tick", today=late, stdout=out)
    app.refresh_from_db()
    assert "Escalated 1 case(s)" in out.getvalue() and "Escalated 0 case(s)" in out.getvalue()
    assert app.fatwa_escalated_at is not None and app.legal_extension_days == 2
    assert ApplicationEvent.objects.filter(application=app, action="escalate_fatwa").count() == 1
    with pytest.raises(DomainError, match="decided by the Komite Fatwa"):
        services.application_transition(
            application_id=app.pk,
            action="declare_halal",
            actor=cast.reviewer,
            fatwa_number="MUI-1",
            fatwa_date=date.today(),
            fatwa_body="mui_session",
        )


def test_rejection_at_fatwa_writes_the_not_halal_statement_and_releases_the_place(
    cast: f.Cast, django_capture_on_commit_callbacks: Any
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    decision = {"fatwa_number": "KF-TH-2026/031", "fatwa_date": cal.today(), "fatwa_body": "komite_fatwa"}
    with django_capture_on_commit_callbacks(execute=True):
        app = _act(app, "reject", cast.reviewer, reason="Gelatin of unknown origin.", **decision)
    statement = CaseDocument.objects.get(application=app, kind="not_halal")
    assert statement.file.name.endswith(".pdf") and statement.number.startswith("SKPTH/")
    assert (app.fatwa_number, app.fatwa_date, app.fatwa_body) == ("KF-TH-2026/031", cal.today(), "komite_fatwa")
    text = " ".join(pdf_text(statement.file.path).split())
    assert "KF-TH-2026/031" in text and cal.today().strftime("%d-%m-%Y") in text
    assert "Komite Fatwa Produk Halal" in text and "Badan Penyelenggara Jaminan Produk Halal (BPJPH)" in text
    assert "Gelatin of unknown origin." in text
    assert wf.appeal_window_ends(app).strftime("%d-%m-%Y") in text and "permohonan baru" in text
    assert "banding kepada atasan dalam 10 hari kerja" in text and "UU 30/2014 Pasal 78" in text  # issue 31
    assert SehatiQuota.objects.get(region=None).used == 0
    assert SehatiClaim.objects.get(application=app).released_at is not None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"fatwa_date": "today", "fatwa_body": "komite_fatwa"}, "number of the fatwa decision"),
        ({"fatwa_number": "KF-TH-1", "fatwa_body": "komite_fatwa"}, "date of the fatwa decision"),
        ({"fatwa_number": "KF-TH-1", "fatwa_date": "today", "fatwa_body": "mui_session"}, "decided by the Komite"),
    ],
)
def test_a_not_halal_decision_without_its_number_date_or_body_is_refused_and_writes_nothing(
    cast: f.Cast, payload: dict[str, str], message: str
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    values = {key: cal.today() if value == "today" else value for key, value in payload.items()}
    with translation.override("en"), pytest.raises(DomainError, match=message):
        _act(app, "reject", cast.reviewer, reason="Gelatin of unknown origin.", **values)
    app.refresh_from_db()
    assert (app.state, app.fatwa_number, app.rejection_reason) == ("fatwa", "", "")
    assert not CaseDocument.objects.filter(application=app).exclude(kind__in=["sttd", "validation_report"]).exists()


def test_the_sttd_is_written_at_verification_once(cast: f.Cast, django_capture_on_commit_callbacks: Any) -> None:
    from certification.tasks import render_case_document

    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    with django_capture_on_commit_callbacks(execute=True):
        app = _act(app, "verify", cast.reviewer)
    sttd = CaseDocument.objects.get(application=app, kind="sttd")
    name = sttd.file.name
    assert render_case_document(sttd.pk) == name  # a second run leaves the first file
    assert CaseDocument.objects.filter(application=app, kind="sttd").count() == 1  # (and the validation report)


def test_staff_may_cancel_only_after_the_owners_window(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    with pytest.raises(DomainError, match="only after the owner's window has passed"):
        services.application_transition(application_id=app.pk, action="cancel", actor=cast.reviewer, reason="No pay")
    app.refresh_from_db()
    assert app.state == "awaiting_payment"
    with cal.as_of(app.owner_due_on + timedelta(days=1)):
        app = _act(app, "cancel", cast.reviewer, reason="No payment within the office's window.")
    assert app.state == "cancelled"


def test_owner_window_reminders_are_sent_once_per_step(
    cast: f.Cast, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    mailoutbox.clear()
    ends = app.owner_due_on
    for day in (ends, ends, ends + timedelta(days=1), ends + timedelta(days=3)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("clock_tick", today=day.isoformat(), stdout=StringIO())
    steps = list(CaseReminder.objects.filter(application=app).order_by("step").values_list("step", flat=True))
    assert sorted(steps) == ["last_day", "passed", "soon"]
    assert len(mailoutbox) == 2  # the last day and the day after; "soon" was spent when the last day came first
    assert all(cast.owner.email in m.to for m in mailoutbox)
    assert "office may now cancel" in mailoutbox[-1].body
