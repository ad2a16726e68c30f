"""What happens next, in one plain sentence for the owner, after each step of a case (issue 19, item 10)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.workflow import table as wf

NEXT_STEP: dict[str, Any] = {
    "draft": _("Choose the products and documents, then submit the application; nothing is sent before you submit."),
    "submitted": _("The office assigns a halal process assistant (PPH), who will contact you to plan a visit."),
    "pph_verification": _(
        "Your halal process assistant visits your production, checks the ingredients and writes the validation "
        "report; keep your phone close for their call."
    ),
    "verification": _("The office checks your documents; you will hear from us if something is missing."),
    "lph_appointment": _("The office appoints a halal examination agency (LPH) to audit your production."),
    "awaiting_payment": _("Pay the invoice and upload the payment proof; the audit starts when payment is confirmed."),
    "lph_examination": _("The halal examination agency (LPH) audits your production and reports to the office."),
    "fatwa": _("The fatwa body decides whether your products are halal; you need to do nothing now."),
    "issuance": _("The office issues your halal certificate; you will get an e-mail when it is ready."),
    "returned": _("Read the reason above, fix what is asked and resubmit; the case goes on from where it stopped."),
    "issued": _("Your certificate is valid: download it and put the halal label on your products."),
    "rejected": _("The application was rejected; read the reason, and you may apply again when it is fixed."),
    "cancelled": _("The application was cancelled; you may start a new one at any time."),
    "appeal": _("The office reviews your appeal against the decision; you will get an e-mail with the outcome."),
    "banding": _(
        "The superior office reviews your banding against the objection's decision; you will get an e-mail with the "
        "outcome."
    ),
}


def next_step(application: Any) -> str:
    """The sentence for the case's current state, in the active language ("" for an unknown state)."""
    sentence = NEXT_STEP.get(application.state)
    if sentence is None:
        return ""
    if application.state == "submitted" and application.pathway != wf.SELF_DECLARE:
        return gettext("The office checks your documents; you will hear from us if something is missing.")
    return str(sentence)
