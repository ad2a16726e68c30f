"""Notices about applications, through the one notification service (core/notifications/services.py).

Each function claims its event with a conditional UPDATE (run twice, told once) and stores the notifications;
the service renders them per channel and language and delivers them after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Application,
    ApplicationEvent,
    Bill,
    CaseReminder,
    CertificateEvent,
    CertificateReminder,
    CompositionCheck,
)
from certification.selectors import banding_deciders, case_reviewers
from certification.workflow import table as wf
from core.notifications.services import Message, notification_send, notifications_send


# The yearly composition check and the expiry reminder (added on main while the service was being built) still
# e-mail directly; they move to the service next (kinds in core/notifications/services.py).
def _application(application: Application) -> dict[str, object]:
    return {
        "pk": application.pk,
        "business": {"name": application.business.name},
        "return_reason": application.return_reason,
        "rejection_reason": application.rejection_reason,
    }


def owner_event_email_send(*, event_id: int) -> int:
    """Tell the owner their application moved. Returns the number of notifications (0 when already told)."""
    claimed = ApplicationEvent.objects.filter(pk=event_id, owner_notified_at__isnull=True).update(
        owner_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = ApplicationEvent.objects.select_related("application__business__owner").get(pk=event_id)
    application = event.application
    notification_send(
        recipient=application.business.owner,
        kind="application_status",
        context={
            "application": _application(application),
            "event": {"to_state": event.to_state, "note": event.note, "action": event.action, "due_on": event.due_on},
            # A dismissed objection: until when the owner may go on to the superior office (banding).
            "banding_window_ends": wf.banding_window_ends(application) if event.action == "dismiss_appeal" else None,
            "state_id": str(wf.public_label(event.to_state, "id", application.pathway)),
            "state_en": str(wf.public_label(event.to_state, "en", application.pathway)),
        },
        link=reverse("certification:owner-application", args=[application.pk]),
        topic=f"application:{application.pk}",
        region_id=application.business.region_id,
    )
    return 1


def reviewer_resubmission_email_send(*, event_id: int) -> int:
    """Tell the assigned reviewer (or, when none is assigned, the reviewers whose jurisdiction covers the case) that
    an owner resubmitted."""
    claimed = ApplicationEvent.objects.filter(pk=event_id, staff_notified_at__isnull=True).update(
        staff_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = ApplicationEvent.objects.get(pk=event_id)
    application = Application.objects.select_related("business", "assigned_reviewer").get(pk=event.application_id)
    if application.assigned_reviewer is not None:
        recipients = [application.assigned_reviewer]
    else:
        recipients = list(case_reviewers(application))
    context = {"application": _application(application)}
    link = reverse("certification:case", args=[application.pk])
    topic = f"application:{application.pk}"
    region = application.business.region_id
    messages = [
        Message(
            recipient=user, kind="application_resubmitted", context=context, link=link, topic=topic, region_id=region
        )
        for user in recipients
    ]
    return len(notifications_send(messages))


def owner_revocation_email_send(*, event_id: int) -> int:
    """Tell the owner their certificate was revoked (once, even when the task runs twice)."""
    claimed = CertificateEvent.objects.filter(pk=event_id, owner_notified_at__isnull=True).update(
        owner_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = CertificateEvent.objects.select_related("certificate__application__business__owner").get(pk=event_id)
    certificate = event.certificate
    notification_send(
        recipient=certificate.application.business.owner,
        kind="certificate_revoked",
        context={
            "certificate": {
                "number": certificate.number,
                "business_name": certificate.business_name,
                "revocation_reason": certificate.revocation_reason,
            }
        },
        link=reverse("certification:verify", args=[certificate.token]),
        topic=f"application:{certificate.application_id}",
        region_id=certificate.application.business.region_id,
    )
    return 1


def owner_window_email_send(*, reminder_id: int) -> int:
    """Remind the owner of a window (answering a return, paying): the claim row was written by the clock tick."""
    reminder = CaseReminder.objects.select_related("application__business__owner").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    application = reminder.application
    notification_send(
        recipient=application.business.owner,
        kind="case_window",
        context={
            "application": _application(application),
            "reminder": {"step": reminder.step, "window_ends_on": reminder.window_ends_on},
            "waiting_for": "payment" if application.state == "awaiting_payment" else "response",
            "bill": _bill(application) if application.state == "awaiting_payment" else None,
        },
        link=reverse("certification:owner-application", args=[application.pk]),
        topic=f"application:{application.pk}",
        region_id=application.business.region_id,
    )
    return 1


def _bill(application: Application) -> dict[str, object] | None:
    bill = Bill.objects.filter(application=application).first()
    if bill is None:
        return None
    return {"amount": bill.amount, "channel": bill.channel, "code": bill.code, "bank": bill.bank}


def owner_bill_email_send(*, bill_id: int) -> int:
    """Tell the owner the office recorded (or corrected) the bill: what to pay, where and by when."""
    bill = Bill.objects.select_related("application__business__owner").filter(pk=bill_id).first()
    if bill is None or bill.application.state != "awaiting_payment":
        return 0
    application = bill.application
    notification_send(
        recipient=application.business.owner,
        kind="case_window",
        context={
            "application": _application(application),
            "reminder": {"step": "billed", "window_ends_on": bill.due_on},
            "waiting_for": "payment",
            "bill": _bill(application),
        },
        link=reverse("certification:owner-application", args=[application.pk]),
        topic=f"application:{application.pk}",
        region_id=application.business.region_id,
    )
    return 1


def staff_payment_proof_email_send(*, bill_id: int) -> int:
    """Tell the office the owner uploaded a payment proof to confirm: the assigned reviewer, or, when none is
    assigned, the reviewers whose jurisdiction covers the case. Claimed per upload: a second run of the same upload
    tells nobody, a new upload (replacing the proof before confirmation) tells them again."""
    bill = Bill.objects.filter(pk=bill_id).first()
    if bill is None or bill.proof_uploaded_at is None or bill.confirmed_at is not None:
        return 0
    claimed = (
        Bill.objects.filter(pk=bill.pk, proof_uploaded_at=bill.proof_uploaded_at)
        .filter(Q(staff_notified_at__isnull=True) | Q(staff_notified_at__lt=F("proof_uploaded_at")))
        .update(staff_notified_at=timezone.now())
    )
    if not claimed:
        return 0
    application = Application.objects.select_related("business", "assigned_reviewer").get(pk=bill.application_id)
    if application.state != "awaiting_payment":
        return 0
    if application.assigned_reviewer is not None:
        recipients = [application.assigned_reviewer]
    else:
        recipients = list(case_reviewers(application))
    context = {"application": _application(application), "bill": _bill(application)}
    link = reverse("certification:case", args=[application.pk])
    messages = [
        Message(
            recipient=user,
            kind="payment_proof",
            context=context,
            link=link,
            topic=f"application:{application.pk}",
            region_id=application.business.region_id,
        )
        for user in recipients
    ]
    return len(notifications_send(messages))


def reviewer_appeal_email_send(*, event_id: int) -> int:
    """Tell reviewers an owner appealed a rejection: the assigned reviewer unless they rejected it, else the
    reviewers of the case's region but the one who rejected (they may not decide it)."""
    claimed = ApplicationEvent.objects.filter(pk=event_id, staff_notified_at__isnull=True).update(
        staff_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = ApplicationEvent.objects.get(pk=event_id)
    application = Application.objects.select_related("business", "assigned_reviewer").get(pk=event.application_id)
    rejecter = application.rejected_by_id
    reviewer = application.assigned_reviewer
    if event.action == "file_banding":  # the superior office, never who decided the rejection or the objection
        recipients = list(banding_deciders(application))
    elif reviewer is not None and reviewer.pk != rejecter:
        recipients = [reviewer]
    else:
        recipients = list(case_reviewers(application).exclude(pk=rejecter))
    context = {
        "application": _application(application),
        "event": {"note": event.note, "due_on": event.due_on, "action": event.action},
    }
    link = reverse("certification:case", args=[application.pk])
    messages = [
        Message(
            recipient=user,
            kind="application_appealed",
            context=context,
            link=link,
            topic=f"application:{application.pk}",
            region_id=application.business.region_id,
        )
        for user in recipients
    ]
    return len(notifications_send(messages))


def _certificate(certificate: Any) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "business_name": certificate.business_name,
        "products_text": certificate.products_text,
    }


def owner_composition_check_email_send(*, check_id: int, step: str) -> int:
    """Ask (or remind) the owner to confirm that the certified products' composition and process did not change."""
    check = (
        CompositionCheck.objects.select_related("certificate__application__business__owner")
        .filter(pk=check_id, answered_at__isnull=True)
        .first()
    )
    if check is None:
        return 0
    certificate = check.certificate
    notification_send(
        recipient=certificate.application.business.owner,
        kind="composition_check",
        context={"certificate": _certificate(certificate), "check": {"anniversary": check.anniversary}, "step": step},
        link=reverse("certification:my-applications"),
        topic=f"application:{certificate.application_id}",
        region_id=certificate.application.business.region_id,
    )
    return 1


def owner_expiry_email_send(*, reminder_id: int) -> int:
    """Tell the owner a dated certificate expires soon and how to renew it (the claim row was written first)."""
    reminder = (
        CertificateReminder.objects.select_related("certificate__application__business__owner")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None:
        return 0
    certificate = reminder.certificate
    application = certificate.application
    notification_send(
        recipient=application.business.owner,
        kind="certificate_expiry",
        context={
            "certificate": _certificate(certificate),
            "reminder": {"expires_on": reminder.expires_on, "days_before": reminder.days_before},
        },
        link=reverse("certification:owner-application", args=[application.pk]),
        topic=f"application:{application.pk}",
        region_id=application.business.region_id,
    )
    return 1
