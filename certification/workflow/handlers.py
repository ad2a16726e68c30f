"""What each workflow action does besides moving the state (called only by `services.application_transition`,
inside its transaction, with the application row locked). Each handler checks its input, sets fields on the
application and returns the names of the fields it set; it never sets the state.

"Nothing already done is asked again" (workflow.json, resubmit): the invoice is taken once (appoint_lph), the
payment recorded once, the Sehati place claimed once; a resumed stage skips them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import document_services
from certification.assignment import assignee_check, lph_check
from certification.certificates.services import (
    OfficialCertificate,
    certificate_create_at_issue,
    certificate_revise,
    number_pattern,
)
from certification.evidence.services import snapshot_take
from certification.fee_snapshot import fee_snapshot_take
from certification.models import Appeal, Application, CaseDocument, Certificate, Lph
from certification.readiness import check_complete, process_flow_attach
from certification.verification import services as verification_services
from certification.workflow import table as wf
from certification.workflow.quota import quota_claim, quota_release
from core.access import roles
from core.calendar import days as cal
from core.errors import DomainError
from core.files.uploads import validate_upload
from core.validators import parse_iso_date

User = get_user_model()

MAX_EXTENSION_DAYS = 30


class Handler(Protocol):
    def __call__(self, app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]: ...


def _refuse(key: str, message: str) -> DomainError:
    return DomainError(message, errors={key: [message]})


def as_date(value: Any, key: str, today: date) -> date:
    parsed = parse_iso_date(value)  # 30 February is "not a date", never a crash
    if parsed is None:
        raise _refuse(key, _("Enter a valid date (YYYY-MM-DD)."))
    if parsed > today:
        raise _refuse(key, _("The date cannot be in the future."))
    return parsed


SIHALAL_REGISTRATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{5,39}$")


def issued_by_bpjph() -> bool:
    return bool(settings.CERTIFICATE_ISSUER == "bpjph")


def _submit(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    check_complete(app, today)
    app.submitted_at = timezone.now()
    fields = ["submitted_at", "evidence"]
    if issued_by_bpjph():  # a facilitating office: the case also lives in BPJPH's SIHALAL
        registration = str(payload.get("sihalal_registration") or "").strip()
        if not SIHALAL_REGISTRATION.match(registration):
            raise _refuse(
                "sihalal_registration",
                _("Enter the registration number SIHALAL gave this application (6 to 40 letters, digits, - . /)."),
            )
        app.sihalal_registration = registration
        fields.append("sihalal_registration")
    process_flow_attach(app, actor=actor)  # drawn from the entered steps unless the owner attached one
    snapshot_take(application=app, actor=actor)  # what the case rests on from now on, frozen
    return fields


def _resubmit(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    check_complete(app, today)
    process_flow_attach(app, actor=actor)
    snapshot_take(application=app, actor=actor)  # the new evidence, with what changed since the last submission
    return ["evidence"]


def _assign_pph(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    value = payload["pph"]
    pph = (
        User.objects.filter(pk=getattr(value, "pk", value)).first()
        if str(getattr(value, "pk", value)).isdigit()
        else None
    )
    # The page's bulk assignment and the API's transition: one check (certification.assignment).
    assignee_check(person=pph, role=roles.PPH, applications=Application.objects.filter(pk=app.pk))
    app.assigned_pph = pph
    return ["assigned_pph"]


def _pph_validate(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    """The verification record must be complete (every line judged, none "does not conform", a visit date and a
    recommendation); a visit date and report in the payload (the older API) fill the record's. The validation
    report PDF is rendered by a worker after commit."""
    record = verification_services.validation_ready(
        app, visit_date=payload.get("visit_date"), report=payload.get("report")
    )
    app.pph_visit_date = record.visit_date
    app.pph_report = record.recommendation
    document_services.case_document_request(
        application=app, kind=CaseDocument.Kind.VALIDATION_REPORT, render_again=True
    )
    return ["pph_visit_date", "pph_report"]


def _verify(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    if app.pathway != wf.SELF_DECLARE:
        return []
    app.sehati_quota = quota_claim(application=app, today=today)
    document_services.case_document_request(application=app, kind=CaseDocument.Kind.STTD)
    return ["sehati_quota"]


def _appoint_lph(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    value = payload.get("lph") or app.lph_id
    key = str(getattr(value, "pk", value))
    lph = Lph.objects.filter(pk=int(key)).first() if key.isdigit() else None
    app.lph = lph_check(lph=lph, business=app.business)
    fields = ["lph"]
    if not app.invoice_reference:  # the invoice is taken once, whatever returns happen later
        fields += fee_snapshot_take(application=app, year=today.year)
    return fields


def _record_payment(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    validate_upload(payload["payment_proof"], field="payment_proof")
    app.payment_proof = payload["payment_proof"]
    app.paid_at = timezone.now()
    document_services.case_document_request(application=app, kind=CaseDocument.Kind.STTD)
    return ["payment_proof", "paid_at"]


def extension_days(payload: dict[str, Any]) -> int:
    try:
        days = int(payload["extra_days"])
    except (TypeError, ValueError):
        raise _refuse("extra_days", _("Enter the extra working days as a whole number.")) from None
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise _refuse(
            "extra_days",
            _("An audit can be extended by 1 to %(max)s working days at a time.") % {"max": MAX_EXTENSION_DAYS},
        )
    return days


def _extend_audit(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    extension_days(payload)  # checked here; the clock adds them
    return []


def _record_audit(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    validate_upload(payload["audit_report"], field="audit_report")
    app.audit_report = payload["audit_report"]
    app.lph_name = str(app.lph or payload.get("lph_name") or "").strip()[:200]
    return ["audit_report", "lph_name"]


def _escalate_fatwa(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    app.fatwa_escalated_at = timezone.now()
    return ["fatwa_escalated_at"]


def _declare_halal(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    return _fatwa_decision(app, payload, today)


def _fatwa_decision(app: Application, payload: dict[str, Any], today: date) -> list[str]:
    """The fatwa decision, halal or not: its number, date and the body that decided."""
    if not str(payload.get("fatwa_number") or "").strip():
        raise _refuse("fatwa_number", _("Enter the number of the fatwa decision."))
    if not payload.get("fatwa_date"):
        raise _refuse("fatwa_date", _("Enter the date of the fatwa decision."))
    body = str(payload.get("fatwa_body") or "")
    if body not in wf.FATWA_BODIES:
        raise _refuse("fatwa_body", _("Choose the body that decided: the MUI fatwa session or the Komite Fatwa."))
    if body == wf.MUI_SESSION and (app.pathway == wf.SELF_DECLARE or app.fatwa_escalated_at is not None):
        raise _refuse(
            "fatwa_body",
            _("This case is decided by the Komite Fatwa Produk Halal (self-declare, or past the MUI session's limit)."),
        )
    app.fatwa_number = str(payload["fatwa_number"]).strip()[:60]
    app.fatwa_date = as_date(payload["fatwa_date"], "fatwa_date", today)
    app.fatwa_body = body
    return ["fatwa_number", "fatwa_date", "fatwa_body"]


def _official_certificate(app: Application, payload: dict[str, Any], today: date) -> OfficialCertificate:
    """CERTIFICATE_ISSUER=bpjph: BPJPH's number, date and PDF of the certificate, as SIHALAL issued it."""
    number = str(payload.get("official_number") or "").strip().upper()
    if not number_pattern().match(number):
        raise _refuse(
            "official_number",
            _("Enter BPJPH's certificate number as printed: %(prefix)s followed by 17 digits.")
            % {"prefix": settings.CERTIFICATE_PREFIX},
        )
    if Certificate.objects.filter(number=number).exists():
        raise _refuse("official_number", _("Certificate %(number)s is already recorded.") % {"number": number})
    if not payload.get("official_date"):
        raise _refuse("official_date", _("Enter the date BPJPH issued the certificate."))
    issued_on = as_date(payload["official_date"], "official_date", today)
    if app.fatwa_date is not None and issued_on < app.fatwa_date:
        raise _refuse("official_date", _("The certificate cannot be issued before the fatwa decision."))
    document = payload.get("official_pdf")
    if not document:
        raise _refuse("official_pdf", _("Attach the certificate PDF downloaded from SIHALAL."))
    if validate_upload(document, field="official_pdf") != "application/pdf":
        raise _refuse("official_pdf", _("The official certificate must be the PDF from SIHALAL."))
    return OfficialCertificate(number=number, issued_on=issued_on, pdf=document)


def _issue(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    if app.developed_certificate_id is not None:  # a product development: a new revision, same number
        certificate_revise(application=app, actor=actor)
        return []
    official = _official_certificate(app, payload, today) if issued_by_bpjph() else None
    certificate_create_at_issue(application=app, actor=actor, official=official)
    return []


def _return(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    reason = str(payload["reason"]).strip()
    if app.state == "pph_verification":  # the assistant's findings go back to the owner with the reason
        found = verification_services.findings(app)
        if found:
            heading = _("Findings of the assistant's verification:")
            reason = f"{reason}\n\n{heading}\n{verification_services.findings_text(found)}"
    app.return_reason = reason
    return ["return_reason"]


def _reject(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    decided = []
    if app.state == "fatwa":  # the fatwa found the product not halal: its decision is recorded, checked first
        decided = _fatwa_decision(app, payload, today)
    app.rejection_reason = str(payload["reason"]).strip()
    quota_release(application=app, today=today)
    if app.state == "fatwa":  # the statement that the product is not halal, with the decision it rests on
        document_services.case_document_request(application=app, kind=CaseDocument.Kind.NOT_HALAL)
    # What an appeal needs: where, when and by whom; a new rejection opens a new window for one appeal.
    app.rejected_from, app.rejected_on, app.rejected_by, app.appeal_filed_on = app.state, today, actor, None
    app.appeal_decided_on, app.appeal_decided_by, app.banding_filed_on = None, None, None
    return [
        *decided,
        "rejection_reason",
        "rejected_from",
        "rejected_on",
        "rejected_by",
        "appeal_filed_on",
        "appeal_decided_on",
        "appeal_decided_by",
        "banding_filed_on",
    ]


MAX_APPEAL_CHARS = 5000


def _appeal_create(app: Application, payload: dict[str, Any], *, actor: Any, today: date, level: str) -> None:
    """The objection or the banding as filed, with its decision's due day on the office calendar."""
    reason = str(payload["reason"]).strip()
    if len(reason) > MAX_APPEAL_CHARS:
        raise _refuse("reason", _("Keep the appeal under %(max)s characters.") % {"max": MAX_APPEAL_CHARS})
    attachment = payload.get("attachment")
    content_type = validate_upload(attachment, field="attachment") if attachment else ""
    banding = level == Appeal.Level.BANDING
    days = wf.office_setting("BANDING_DECISION_WORKING_DAYS" if banding else "APPEAL_DECISION_WORKING_DAYS")
    Appeal.objects.create(
        application=app,
        level=level,
        rejected_from=app.rejected_from,
        rejected_by_id=app.rejected_by_id,
        reason=reason,
        attachment=attachment or "",
        attachment_name=str(getattr(attachment, "name", "") or "")[:200],
        attachment_type=content_type,
        filed_by=actor,
        decide_by=cal.add_working_days(today, days),
    )


def _file_appeal(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    _appeal_create(app, payload, actor=actor, today=today, level=Appeal.Level.OBJECTION)
    app.appeal_filed_on = today
    return ["appeal_filed_on"]


def _file_banding(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    _appeal_create(app, payload, actor=actor, today=today, level=Appeal.Level.BANDING)
    app.banding_filed_on = today
    return ["banding_filed_on"]


def _open_appeal(app: Application, actor: Any, level: str = Appeal.Level.OBJECTION) -> Appeal:
    appeal = Appeal.objects.select_for_update().filter(application=app, level=level, decided_at__isnull=True).first()
    if appeal is None:
        raise DomainError(_("There is no open appeal on this application."))
    if actor is not None and appeal.rejected_by_id == actor.pk:
        raise DomainError(_("The reviewer who rejected the case cannot decide its appeal; another reviewer must."))
    if level == Appeal.Level.BANDING and actor is not None and app.appeal_decided_by_id == actor.pk:
        raise DomainError(
            _("Whoever decided the objection cannot decide the banding against it; the superior office must.")
        )
    return appeal


def _decide(appeal: Appeal, decision: str, payload: dict[str, Any], actor: Any) -> None:
    appeal.decision = decision
    appeal.decision_reason = str(payload["reason"]).strip()
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])


def _uphold_appeal(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    return _resume(app, _open_appeal(app, actor), payload, actor=actor, today=today)


def _uphold_banding(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    return _resume(app, _open_appeal(app, actor, Appeal.Level.BANDING), payload, actor=actor, today=today)


def _resume(app: Application, appeal: Appeal, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    """An objection or a banding upheld: the case resumes at the stage it was rejected from."""
    _decide(appeal, Appeal.Decision.UPHELD, payload, actor)
    app.returned_from = appeal.rejected_from  # the transition resumes here (its target is "the stage left")
    fields = ["returned_from", "rejection_reason", "rejected_from", "rejected_on", "rejected_by"]
    app.rejection_reason, app.rejected_from, app.rejected_on, app.rejected_by = "", "", None, None
    if app.pathway == wf.SELF_DECLARE and appeal.rejected_from in ("fatwa", "issuance"):
        app.sehati_quota = quota_claim(application=app, today=today)  # the place the rejection released
        fields.append("sehati_quota")
    return fields


def _dismiss_appeal(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    _decide(_open_appeal(app, actor), Appeal.Decision.DISMISSED, payload, actor)
    app.appeal_decided_on, app.appeal_decided_by = today, actor  # the banding window counts from here
    return ["appeal_decided_on", "appeal_decided_by"]


def _dismiss_banding(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    _decide(_open_appeal(app, actor, Appeal.Level.BANDING), Appeal.Decision.DISMISSED, payload, actor)
    return []


def _cancel(app: Application, payload: dict[str, Any], *, actor: Any, today: date) -> list[str]:
    quota_release(application=app, today=today)
    return []


HANDLERS: dict[str, Handler] = {
    "submit": _submit,
    "resubmit": _resubmit,
    "assign_pph": _assign_pph,
    "pph_validate": _pph_validate,
    "verify": _verify,
    "appoint_lph": _appoint_lph,
    "record_payment": _record_payment,
    "extend_audit": _extend_audit,
    "record_audit": _record_audit,
    "escalate_fatwa": _escalate_fatwa,
    "declare_halal": _declare_halal,
    "issue": _issue,
    "return": _return,
    "reject": _reject,
    "cancel": _cancel,
    "file_appeal": _file_appeal,
    "uphold_appeal": _uphold_appeal,
    "dismiss_appeal": _dismiss_appeal,
    "file_banding": _file_banding,
    "uphold_banding": _uphold_banding,
    "dismiss_banding": _dismiss_banding,
}
