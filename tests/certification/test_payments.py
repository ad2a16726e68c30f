"""The regular pathway's payment step: the office records BPJPH's bill, the owner sees how to pay and uploads the
proof, the office confirms it and the case moves on; reminders before the window closes; the same in the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from certification.models import Application, Bill, CaseReminder
from certification.payments import services as payments
from core.calendar import days as cal
from core.errors import DomainError
from core.models import Notification, User
from tests.certification import factories as f
from tests.conftest import works_for

CODE = "820260000012345"  # 15 digits, as SIMPONI prints it


@pytest.fixture(autouse=True)
def _schedules(request: Any) -> None:
    request.getfixturevalue("fee_schedules")


@pytest.fixture
def waiting(cast: f.Cast) -> Application:
    return f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)


def _bill(app: Application, actor: Any, **values: Any) -> Bill:
    data = {"amount": 650_000, "channel": "simponi", "code": CODE, "due_on": cal.today() + timedelta(days=10)}
    return payments.bill_record(application_id=app.pk, actor=actor, **{**data, **values})


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_records_the_bill_and_the_owner_is_told_how_to_pay(
    cast: f.Cast, waiting: Application, django_capture_on_commit_callbacks: Any
) -> None:
    due = cal.today() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        bill = _bill(waiting, cast.reviewer, amount="650.000", code="8202 6000 0012 345", due_on=due.isoformat())
    bill.refresh_from_db()
    waiting.refresh_from_db()
    assert (bill.amount, bill.code, bill.due_on, bill.recorded_by) == (650_000, CODE, due, cast.reviewer)
    assert waiting.owner_due_on == due  # the bill's deadline is the owner's window (reminders, cancel guard)
    told = Notification.objects.get(recipient=cast.owner, kind="case_window")
    assert told.context["bill"]["code"] == CODE and told.context["reminder"]["step"] == "billed"


BAD_BILLS = [
    ({"amount": -650_000}, "amount", "The amount must be more than Rp 0."),
    ({"amount": 0}, "amount", "The amount must be more than Rp 0."),
    ({"amount": "enam ratus"}, "amount", "Enter the amount in whole rupiah, for example 650000."),
    ({"code": "12345"}, "code", "A SIMPONI billing code has 15 digits."),
    ({"channel": "virtual_account", "code": "8808123456789"}, "bank", "Name the bank of the virtual account."),
    ({"channel": "virtual_account", "code": "88A"}, "code", "A virtual account number has 10 to 20 digits."),
    ({"channel": "cash"}, "channel", "Choose the SIMPONI billing code or a bank virtual account."),
    ({"due_on": "2020-01-01"}, "due_on", "The payment deadline cannot be in the past."),
    ({"due_on": "2026-02-30"}, "due_on", "Enter a valid date (YYYY-MM-DD)."),
]


@pytest.mark.parametrize(("values", "field", "message"), BAD_BILLS)
def test_a_bad_bill_is_refused_with_a_reason_and_nothing_is_written(
    cast: f.Cast, waiting: Application, values: dict[str, Any], field: str, message: str
) -> None:
    window = waiting.owner_due_on
    with pytest.raises(DomainError) as refused:
        _bill(waiting, cast.reviewer, **values)
    assert refused.value.errors == {field: [message]}
    waiting.refresh_from_db()
    assert not Bill.objects.exists() and waiting.owner_due_on == window


def test_a_bad_bill_is_explained_in_indonesian(cast: f.Cast, waiting: Application) -> None:
    with translation.override("id"), pytest.raises(DomainError) as refused:
        _bill(waiting, cast.reviewer, amount=-1)
    assert str(refused.value) == "Jumlah harus lebih dari Rp 0."
    assert not Bill.objects.exists()


def test_the_owner_uploads_the_proof_and_the_office_confirms_it(cast: f.Cast, waiting: Application) -> None:
    _bill(waiting, cast.reviewer)
    bill = payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf("struk.pdf"))
    assert (bill.proof_name, bill.proof_type) == ("struk.pdf", "application/pdf")
    app = payments.payment_confirm(application_id=waiting.pk, actor=cast.reviewer)
    app.refresh_from_db()
    bill.refresh_from_db()
    assert app.state == "lph_examination" and app.paid_at is not None and app.payment_proof
    assert app.payment_proof.read() == f.PDF  # the owner's file is the case's proof
    assert (bill.confirmed_by, bill.confirmed_at is not None) == (cast.reviewer, True)


def test_a_proof_of_another_type_is_refused_and_nothing_is_written(cast: f.Cast, waiting: Application) -> None:
    _bill(waiting, cast.reviewer)
    fake = SimpleUploadedFile("bukti.pdf", b"<html>not a receipt</html>", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=fake)
    assert "Only PDF, JPEG and PNG files are accepted" in str(refused.value)
    assert not Bill.objects.get().proof


def test_no_proof_before_the_bill_and_no_confirmation_before_the_proof(cast: f.Cast, waiting: Application) -> None:
    with pytest.raises(DomainError, match="has not recorded the bill yet"):
        payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf())
    _bill(waiting, cast.reviewer)
    with pytest.raises(DomainError, match="has not uploaded a payment proof yet"):
        payments.payment_confirm(application_id=waiting.pk, actor=cast.reviewer)
    waiting.refresh_from_db()
    assert waiting.state == "awaiting_payment" and waiting.paid_at is None


def test_only_staff_of_the_region_record_a_bill_and_only_the_owner_uploads(
    cast: f.Cast, waiting: Application, bob: User, make_user: Callable[..., User]
) -> None:
    from core.access import roles

    elsewhere = works_for(make_user("dewi@example.test", roles.REVIEWER), "31")
    with pytest.raises(DomainError, match="region you do not work for"):
        _bill(waiting, elsewhere)
    with pytest.raises(DomainError, match="Only a reviewer"):
        _bill(waiting, cast.owner)
    _bill(waiting, cast.reviewer)
    with pytest.raises(DomainError, match="Only the owner"):
        payments.payment_proof_upload(application_id=waiting.pk, actor=bob, proof=f.pdf())
    assert not Bill.objects.get().proof


def test_the_office_of_the_case_hears_of_the_proof_once_per_upload(
    cast: f.Cast, waiting: Application, make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    from certification import emails
    from core.access import roles

    elsewhere = works_for(make_user("dewi@example.test", roles.REVIEWER), "31")
    _bill(waiting, cast.reviewer)
    Application.objects.filter(pk=waiting.pk).update(assigned_reviewer=None)  # the region's reviewers, then
    with django_capture_on_commit_callbacks(execute=True):
        bill = payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf("struk.pdf"))
    told = Notification.objects.get(kind="payment_proof")
    assert told.recipient == cast.reviewer and told.link == f"/cases/{waiting.pk}/"
    assert told.context["bill"]["code"] == CODE
    assert emails.staff_payment_proof_email_send(bill_id=bill.pk) == 0  # run twice, told once
    assert not Notification.objects.filter(recipient__in=[elsewhere, cast.owner], kind="payment_proof").exists()
    with django_capture_on_commit_callbacks(execute=True):  # a clearer photo replaces the proof: told again
        payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf("struk-2.pdf"))
    assert Notification.objects.filter(recipient=cast.reviewer, kind="payment_proof").count() == 2
    payments.payment_confirm(application_id=waiting.pk, actor=cast.reviewer)
    Bill.objects.filter(pk=bill.pk).update(staff_notified_at=None)
    assert emails.staff_payment_proof_email_send(bill_id=bill.pk) == 0  # confirmed meanwhile: nobody to tell


def test_the_proof_notice_reads_in_indonesian(cast: f.Cast, waiting: Application) -> None:
    from certification import emails
    from core.notifications.services import render_line

    _bill(waiting, cast.reviewer)
    bill = payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf("struk.pdf"))
    emails.staff_payment_proof_email_send(bill_id=bill.pk)
    told = Notification.objects.get(kind="payment_proof")
    assert "mengunggah bukti pembayaran" in render_line(told, "id")


def test_reminders_before_the_bill_is_due_are_sent_once(
    cast: f.Cast, waiting: Application, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    due = cal.add_working_days(cal.today(), 6)
    _bill(waiting, cast.reviewer, due_on=due)
    mailoutbox.clear()
    soon = cal.add_working_days(cal.today(), 4)
    for day in (soon, soon, due):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("clock_tick", today=day.isoformat(), stdout=StringIO())
    steps = sorted(CaseReminder.objects.filter(application=waiting, window_ends_on=due).values_list("step", flat=True))
    assert steps == ["last_day", "soon"]
    assert len(mailoutbox) == 2
    assert CODE in mailoutbox[0].body and "650.000" in mailoutbox[0].body


# --- Pages ---
def test_the_owner_page_shows_the_bill_the_instructions_and_the_upload(cast: f.Cast, waiting: Application) -> None:
    owner = _client(cast.owner)
    assert 'id="bill-pending"' in owner.get(f"/applications/{waiting.pk}/").content.decode()
    _bill(waiting, cast.reviewer)
    page = owner.get(f"/applications/{waiting.pk}/").content.decode()
    assert CODE in page and "Rp 650.000" in page and 'name="proof"' in page and "How to pay" in page
    answer = owner.post(f"/applications/{waiting.pk}/payment/proof/", {"proof": f.pdf("struk.pdf")})
    assert answer.status_code == 302
    assert Bill.objects.get().proof_name == "struk.pdf"
    assert owner.get(f"/applications/{waiting.pk}/payment/proof/file/").status_code == 200


def test_the_office_records_and_confirms_on_the_case_page(cast: f.Cast, waiting: Application) -> None:
    reviewer = _client(cast.reviewer)
    assert f'action="/cases/{waiting.pk}/payment/bill/"' in reviewer.get(f"/cases/{waiting.pk}/").content.decode()
    due = (cal.today() + timedelta(days=7)).isoformat()
    data = {"amount": "650000", "channel": "virtual_account", "code": "8808123456789", "bank": "BSI", "due_on": due}
    reviewer.post(f"/cases/{waiting.pk}/payment/bill/", data)
    assert Bill.objects.get().bank == "BSI"
    payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf())
    assert 'id="confirm-payment"' in reviewer.get(f"/cases/{waiting.pk}/").content.decode()
    reviewer.post(f"/cases/{waiting.pk}/payment/confirm/")
    waiting.refresh_from_db()
    assert waiting.state == "lph_examination"


def test_a_bad_bill_on_the_page_says_why_in_indonesian_and_writes_nothing(cast: f.Cast, waiting: Application) -> None:
    reviewer = _client(cast.reviewer)
    data = {"amount": "-5", "channel": "simponi", "code": CODE, "due_on": cal.today().isoformat()}
    answer = reviewer.post(f"/cases/{waiting.pk}/payment/bill/", data, follow=True, HTTP_ACCEPT_LANGUAGE="id")
    assert "Jumlah harus lebih dari Rp 0." in answer.content.decode()
    assert not Bill.objects.exists()


def test_someone_elses_bill_answers_404_per_role(
    cast: f.Cast, waiting: Application, bob: User, make_user: Callable[..., User], api_as: Any
) -> None:
    from core.access import roles

    _bill(waiting, cast.reviewer)
    payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf())
    elsewhere = works_for(make_user("dewi@example.test", roles.REVIEWER), "31")
    for outsider in (bob, cast.pph, elsewhere):
        client = _client(outsider)
        assert client.get(f"/applications/{waiting.pk}/payment/proof/file/").status_code == 404
        assert api_as(outsider).get(f"/api/v1/applications/{waiting.pk}/payment/").status_code == 404
    assert _client(bob).post(f"/applications/{waiting.pk}/payment/proof/", {"proof": f.pdf()}).status_code == 404
    assert _client(elsewhere).post(f"/cases/{waiting.pk}/payment/confirm/").status_code == 404
    assert api_as(elsewhere).post(f"/api/v1/applications/{waiting.pk}/payment/confirm/").status_code == 404
    waiting.refresh_from_db()
    assert waiting.state == "awaiting_payment"


# --- API ---
def test_the_payment_step_through_the_api(cast: f.Cast, waiting: Application, api_as: Any) -> None:
    due = (cal.today() + timedelta(days=7)).isoformat()
    staff, owner = api_as(cast.reviewer), api_as(cast.owner)
    url = f"/api/v1/applications/{waiting.pk}/payment/"
    assert owner.get(url).status_code == 404  # no bill yet
    answer = staff.put(url, {"amount": "650000", "channel": "simponi", "code": CODE, "due_on": due}, format="json")
    assert answer.status_code == 200, answer.content
    assert owner.get(url).json()["code"] == CODE
    answer = owner.post(url + "proof/", {"proof": f.pdf("struk.pdf")}, format="multipart")
    assert answer.status_code == 200 and answer.json()["proof_name"] == "struk.pdf"
    answer = staff.post(url + "confirm/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["confirmed_at"]
    waiting.refresh_from_db()
    assert waiting.state == "lph_examination"


def test_the_api_refuses_a_bad_bill_and_a_bad_proof_with_400(cast: f.Cast, waiting: Application, api_as: Any) -> None:
    staff, owner = api_as(cast.reviewer), api_as(cast.owner)
    url = f"/api/v1/applications/{waiting.pk}/payment/"
    bad = {"amount": "-1", "channel": "simponi", "code": CODE, "due_on": "2020-01-01"}
    answer = staff.put(url, bad, format="json")
    assert answer.status_code == 400 and "The amount must be more than Rp 0." in answer.content.decode()
    assert not Bill.objects.exists()
    _bill(waiting, cast.reviewer)
    html = SimpleUploadedFile("bukti.png", b"<script>alert(1)</script>", content_type="image/png")
    answer = owner.post(url + "proof/", {"proof": html}, format="multipart")
    assert answer.status_code == 400 and not Bill.objects.get().proof
