"""Every write of a case's payment. The state moves only through `application_transition` (`record_payment`).

The bill's due date is the owner's payment window (`owner_due_on`): the daily clock reminds the owner three working
days before it, on its last day and once it has passed, each step once (certification.workflow.deadlines).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.selectors import covers
from certification.models import Application, Bill
from certification.services import application_transition
from certification.workflow import table as wf
from core.access import roles
from core.calendar import days as cal
from core.errors import DomainError
from core.files.uploads import validate_upload
from core.tasks import enqueue_on_commit
from core.validators import MAX_RUPIAH, parse_iso_date

# A SIMPONI billing code (Kementerian Keuangan) has 15 digits; a bank's virtual account number 10 to 20.
SIMPONI_CODE = re.compile(r"^\d{15}$")
VIRTUAL_ACCOUNT = re.compile(r"^\d{10,20}$")


def _refuse(key: str, message: str) -> DomainError:
    return DomainError(message, errors={key: [message]})


def _locked(application_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("business").filter(pk=application_id).first()
    )
    if application is None:
        raise DomainError(_("Application not found."))
    return application


def _check_staff(application: Application, actor: Any) -> None:
    if not roles.has_role(actor, *wf.ACTOR_ROLES[wf.REVIEWER]):
        raise DomainError(_("Only a reviewer can record or confirm a payment."))
    if application.business.owner_id == actor.pk:
        raise DomainError(_("You own this business, so you cannot act on its case as staff; another officer must."))
    if not covers(actor, application.business.region_id):
        raise DomainError(_("This case belongs to a region you do not work for."))


def _check_waiting(application: Application) -> None:
    if application.pathway != wf.REGULAR or application.state != "awaiting_payment":
        raise DomainError(_("The application is not waiting for a payment."))


def _amount(value: Any) -> int:
    text = str(value if value is not None else "").strip().replace(".", "").replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:]
    try:
        amount = int(text)
    except ValueError:
        raise _refuse("amount", _("Enter the amount in whole rupiah, for example 650000.")) from None
    if amount <= 0:
        raise _refuse("amount", _("The amount must be more than Rp 0."))
    if amount > MAX_RUPIAH:
        raise _refuse("amount", _("The amount is too large."))
    return amount


def _code(channel: str, code: Any, bank: Any) -> tuple[str, str]:
    text = re.sub(r"[\s-]", "", str(code or ""))
    bank_name = str(bank or "").strip()[:60]
    if channel == Bill.Channel.SIMPONI:
        if not SIMPONI_CODE.match(text):
            raise _refuse("code", _("A SIMPONI billing code has 15 digits."))
        return text, ""
    if channel == Bill.Channel.VIRTUAL_ACCOUNT:
        if not VIRTUAL_ACCOUNT.match(text):
            raise _refuse("code", _("A virtual account number has 10 to 20 digits."))
        if not bank_name:
            raise _refuse("bank", _("Name the bank of the virtual account."))
        return text, bank_name
    raise _refuse("channel", _("Choose the SIMPONI billing code or a bank virtual account."))


def _due_on(value: Any, today: date) -> date:
    parsed = parse_iso_date(value)
    if parsed is None:
        raise _refuse("due_on", _("Enter a valid date (YYYY-MM-DD)."))
    if parsed < today:
        raise _refuse("due_on", _("The payment deadline cannot be in the past."))
    return parsed


def bill_record(
    *, application_id: int, actor: Any, amount: Any, channel: str, code: Any, due_on: Any, bank: Any = ""
) -> Bill:
    """The office records (or corrects) the bill BPJPH issued for a case waiting for payment; the owner is told."""
    today = cal.today()
    with transaction.atomic():
        application = _locked(application_id)
        _check_staff(application, actor)
        _check_waiting(application)
        chosen = str(channel or "")
        checked_code, checked_bank = _code(chosen, code, bank)
        values: dict[str, Any] = {
            "amount": _amount(amount),
            "channel": chosen,
            "code": checked_code,
            "bank": checked_bank,
            "due_on": _due_on(due_on, today),
        }
        bill = Bill.objects.select_for_update().filter(application=application).first()
        if bill is None:
            bill = Bill(application=application)
        for key, value in values.items():
            setattr(bill, key, value)
        bill.recorded_by, bill.recorded_at = actor, timezone.now()
        bill.save()
        # The bill's deadline is the owner's payment window: the clock's reminders and the cancel guard follow it.
        application.owner_due_on = bill.due_on
        application.save(update_fields=["owner_due_on", "updated_at"])
        enqueue_on_commit("certification.notify_owner_of_bill", bill.pk)
    return bill


def payment_proof_upload(*, application_id: int, actor: Any, proof: Any) -> Bill:
    """The owner uploads the proof of payment (PDF, JPEG or PNG) of the bill; a later upload replaces it until the
    office confirms."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.business.owner_id != actor.pk or not roles.has_role(actor, roles.OWNER):
            raise DomainError(_("Only the owner of the business can upload the payment proof."))
        _check_waiting(application)
        bill = Bill.objects.select_for_update().filter(application=application).first()
        if bill is None:
            raise DomainError(_("The office has not recorded the bill yet; you will be told when it is ready."))
        content_type = validate_upload(proof, field="proof")
        bill.proof = proof
        bill.proof_name = str(getattr(proof, "name", "") or "")[:200]
        bill.proof_type = content_type
        bill.proof_uploaded_at = timezone.now()
        bill.save(update_fields=["proof", "proof_name", "proof_type", "proof_uploaded_at"])
        # The office of the case checks the proof against the bill: tell its reviewers once the upload is stored.
        enqueue_on_commit("certification.notify_staff_of_payment_proof", bill.pk)
    return bill


def payment_confirm(*, application_id: int, actor: Any, note: str = "") -> Application:
    """The office checked the owner's proof against the bill: `record_payment` moves the case on to the audit."""
    with transaction.atomic():
        application = _locked(application_id)
        _check_staff(application, actor)
        _check_waiting(application)
        bill = Bill.objects.select_for_update().filter(application=application).first()
        if bill is None or not bill.proof:
            raise DomainError(_("The owner has not uploaded a payment proof yet."))
        with bill.proof.open("rb") as stored:
            proof = File(stored, name=bill.proof_name or "payment-proof.pdf")
            application = application_transition(
                application_id=application.pk, action="record_payment", actor=actor, note=note, payment_proof=proof
            )
        bill.confirmed_at, bill.confirmed_by = timezone.now(), actor
        bill.save(update_fields=["confirmed_at", "confirmed_by"])
    return application
