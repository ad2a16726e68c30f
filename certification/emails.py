"""E-mails about applications: Indonesian first, then English, plain text."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from certification import workflow as wf
from certification.models import (
    Application,
    ApplicationEvent,
    CaseReminder,
    CertificateEvent,
    CertificateReminder,
    CompositionCheck,
)
from core import roles
from core.links import absolute_url


def _both_languages(template: str, context: dict[str, object]) -> str:
    parts = []
    for language in ("id", "en"):
        with translation.override(language):
            parts.append(render_to_string(template, {**context, "language": language}).strip())
    return "\n\n---\n\n".join(parts)


def _absolute(path: str) -> str:
    return absolute_url(path)


def owner_event_email_send(*, event_id: int) -> int:
    """Tell the owner their application moved. Returns the number of e-mails sent (0 when the event is gone)."""
    claimed = ApplicationEvent.objects.filter(pk=event_id, owner_notified_at__isnull=True).update(
        owner_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = ApplicationEvent.objects.select_related("application__business__owner").get(pk=event_id)
    application = event.application
    owner = application.business.owner
    context = {
        "application": application,
        "event": event,
        "state_id": wf.public_label(event.to_state, "id"),
        "state_en": wf.public_label(event.to_state, "en"),
        "url": _absolute(reverse("certification:owner-application", args=[application.pk])),
    }
    subject = (
        f"Permohonan #{application.pk}: {context['state_id']} / Application #{application.pk}: {context['state_en']}"
    )
    body = _both_languages("certification/email/state_changed.txt", context)
    return send_mail(subject, body, None, [owner.email])


def reviewer_resubmission_email_send(*, event_id: int) -> int:
    """Tell the assigned reviewer (or every reviewer when none is assigned) that an owner resubmitted."""
    claimed = ApplicationEvent.objects.filter(pk=event_id, staff_notified_at__isnull=True).update(
        staff_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = ApplicationEvent.objects.get(pk=event_id)
    application = Application.objects.select_related("business", "assigned_reviewer").get(pk=event.application_id)
    if application.assigned_reviewer is not None:
        recipients = [application.assigned_reviewer.email]
    else:
        users = get_user_model().objects.filter(roles.holders(roles.REVIEWER), is_active=True).distinct()
        recipients = list(users.values_list("email", flat=True))
    if not recipients:
        return 0
    context = {
        "application": application,
        "url": _absolute(reverse("certification:case", args=[application.pk])),
    }
    subject = f"Permohonan #{application.pk} diajukan ulang / Application #{application.pk} resubmitted"
    body = _both_languages("certification/email/resubmitted.txt", context)
    return send_mail(subject, body, None, recipients)


def owner_revocation_email_send(*, event_id: int) -> int:
    """Tell the owner their certificate was revoked (once, even when the task runs twice)."""
    claimed = CertificateEvent.objects.filter(pk=event_id, owner_notified_at__isnull=True).update(
        owner_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = CertificateEvent.objects.select_related("certificate__application__business__owner").get(pk=event_id)
    certificate = event.certificate
    context = {
        "certificate": certificate,
        "url": _absolute(reverse("certification:verify", args=[certificate.token])),
    }
    subject = f"Sertifikat halal {certificate.number} dicabut / Halal certificate {certificate.number} revoked"
    body = _both_languages("certification/email/revoked.txt", context)
    return send_mail(subject, body, None, [certificate.application.business.owner.email])


def owner_window_email_send(*, reminder_id: int) -> int:
    """Remind the owner of a window (answering a return, paying): the claim row was written by the clock tick."""
    reminder = CaseReminder.objects.select_related("application__business__owner").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    application = reminder.application
    waiting_for = "payment" if application.state == "awaiting_payment" else "response"
    context = {
        "application": application,
        "reminder": reminder,
        "waiting_for": waiting_for,
        "url": _absolute(reverse("certification:owner-application", args=[application.pk])),
    }
    subject = (
        f"Permohonan #{application.pk}: batas waktu {reminder.window_ends_on:%d-%m-%Y} / "
        f"Application #{application.pk}: deadline {reminder.window_ends_on:%d %b %Y}"
    )
    body = _both_languages("certification/email/owner_window.txt", context)
    return send_mail(subject, body, None, [application.business.owner.email])


def reviewer_appeal_email_send(*, event_id: int) -> int:
    """Tell reviewers an owner appealed a rejection: the assigned reviewer unless they rejected it, else every
    reviewer but the one who rejected (they may not decide it)."""
    claimed = ApplicationEvent.objects.filter(pk=event_id, staff_notified_at__isnull=True).update(
        staff_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    event = ApplicationEvent.objects.get(pk=event_id)
    application = Application.objects.select_related("business", "assigned_reviewer").get(pk=event.application_id)
    rejecter = application.rejected_by_id
    reviewer = application.assigned_reviewer
    if reviewer is not None and reviewer.pk != rejecter:
        recipients = [reviewer.email]
    else:
        users = get_user_model().objects.filter(roles.holders(roles.REVIEWER), is_active=True).exclude(pk=rejecter)
        recipients = list(users.exclude(pk=application.business.owner_id).distinct().values_list("email", flat=True))
    if not recipients:
        return 0
    context = {
        "application": application,
        "event": event,
        "url": _absolute(reverse("certification:case", args=[application.pk])),
    }
    subject = f"Keberatan atas permohonan #{application.pk} / Appeal on application #{application.pk}"
    body = _both_languages("certification/email/appeal_filed.txt", context)
    return send_mail(subject, body, None, recipients)


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
    context = {
        "check": check,
        "certificate": certificate,
        "step": step,
        "url": _absolute(reverse("certification:my-applications")),
    }
    subject = (
        f"Sertifikat halal {certificate.number}: konfirmasi tahunan / "
        f"Halal certificate {certificate.number}: yearly confirmation"
    )
    body = _both_languages("certification/email/composition_check.txt", context)
    return send_mail(subject, body, None, [certificate.application.business.owner.email])


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
    context = {
        "certificate": certificate,
        "reminder": reminder,
        "url": _absolute(reverse("certification:owner-application", args=[application.pk])),
    }
    subject = (
        f"Sertifikat halal {certificate.number} berakhir {reminder.expires_on:%d-%m-%Y} / "
        f"Halal certificate {certificate.number} expires {reminder.expires_on:%d %b %Y}"
    )
    body = _both_languages("certification/email/expiry.txt", context)
    return send_mail(subject, body, None, [application.business.owner.email])
