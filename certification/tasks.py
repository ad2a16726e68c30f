"""Thin Celery tasks: ids in, reload, send."""

from __future__ import annotations

from celery import shared_task

from certification import emails
from certification.aftercare import services as confirmation_services
from certification.certificates.services import certificate_pdf_render
from certification.document_services import case_document_render
from certification.models import Certificate
from certification.workflow import deadlines as deadline_services
from core.tasks import OUTBOUND


@shared_task(name="certification.notify_owner_of_event", **OUTBOUND)
def notify_owner_of_event(event_id: int) -> int:
    return emails.owner_event_email_send(event_id=event_id)


@shared_task(name="certification.notify_owner_of_bill", **OUTBOUND)
def notify_owner_of_bill(bill_id: int) -> int:
    return emails.owner_bill_email_send(bill_id=bill_id)


@shared_task(name="certification.notify_staff_of_payment_proof", **OUTBOUND)
def notify_staff_of_payment_proof(bill_id: int) -> int:
    return emails.staff_payment_proof_email_send(bill_id=bill_id)


@shared_task(name="certification.notify_reviewers_of_resubmission", **OUTBOUND)
def notify_reviewers_of_resubmission(event_id: int) -> int:
    return emails.reviewer_resubmission_email_send(event_id=event_id)


@shared_task(name="certification.notify_reviewers_of_appeal", **OUTBOUND)
def notify_reviewers_of_appeal(event_id: int) -> int:
    return emails.reviewer_appeal_email_send(event_id=event_id)


@shared_task(
    name="certification.certificate_render_pdf",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def certificate_render_pdf(certificate_id: int) -> str:
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return ""
    return certificate_pdf_render(certificate=certificate).pdf.name


@shared_task(name="certification.notify_owner_of_revocation", **OUTBOUND)
def notify_owner_of_revocation(event_id: int) -> int:
    return emails.owner_revocation_email_send(event_id=event_id)


@shared_task(
    name="certification.render_case_document",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def render_case_document(document_id: int) -> str:
    document = case_document_render(document_id=document_id)
    return document.file.name if document is not None else ""


@shared_task(name="certification.clock_tick")
def clock_tick() -> dict[str, int]:
    result = deadline_services.clock_tick()
    return {"escalated": result.escalated, "reminders": result.reminders}


@shared_task(name="certification.notify_owner_of_window", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_owner_of_window(reminder_id: int) -> int:
    return emails.owner_window_email_send(reminder_id=reminder_id)


@shared_task(name="certification.composition_checks_run")
def composition_checks_run() -> dict[str, int]:
    result = confirmation_services.composition_checks_run()
    return {"created": result.created, "sent": result.sent, "expiry_reminders": result.expiry_reminders}


@shared_task(name="certification.notify_owner_of_composition_check", **OUTBOUND)
def notify_owner_of_composition_check(check_id: int, step: str) -> int:
    return emails.owner_composition_check_email_send(check_id=check_id, step=step)


@shared_task(name="certification.notify_owner_of_expiry", **OUTBOUND)
def notify_owner_of_expiry(reminder_id: int) -> int:
    return emails.owner_expiry_email_send(reminder_id=reminder_id)
