"""What an application still needs before "Ajukan": the dossier's lines (applicants.readiness, the one rule the
business page shows too) and the pathway's own: self-declare eligible and pledged, regular with an LPH chosen.

`check_complete` (submit and resubmit) refuses with the first line not done; the owner's application page shows
every line. The process flow drawn from the entered steps is made here at submission (`process_flow_attach`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from applicants.dossier.documents import generated_document_render
from applicants.readiness import FROM_STEPS, Need, dossier_needs, refusal
from certification.eligibility import sehati_eligibility
from certification.models import Application
from certification.workflow import table as wf
from core.errors import DomainError


def application_needs(app: Application, today: date) -> list[Need]:
    business = app.business
    products = list(app.products.all())
    kinds = set(app.documents.values_list("kind", flat=True))
    needs = dossier_needs(business=business, pathway=app.pathway, products=products, document_kinds=kinds)
    if app.pathway == wf.SELF_DECLARE:
        result = sehati_eligibility(business=business, products=products, today=today)
        failing = result.failing()
        needs.append(
            Need(
                "eligible",
                _("Meets the self-declare (Sehati) criteria"),
                result.eligible,
                _("The business does not meet the self-declare criteria: %(reason)s")
                % {"reason": failing[0].reason if failing else ""},
            )
        )
        needs.append(
            Need(
                "pledge",
                _("Self-declare pledge signed"),
                app.pledge_signed_at is not None,
                _("Sign the self-declare pledge before submitting."),
            )
        )
    else:
        needs.append(
            Need(
                "lph",
                _("Halal examination agency (LPH) chosen"),
                app.lph_id is not None,
                _("Choose the halal examination agency (LPH) that will audit your business."),
                field="lph",
            )
        )
    return needs


def check_complete(app: Application, today: date) -> None:
    """Submit and resubmit: refuse with the first line of the checklist that is not done."""
    first = refusal(application_needs(app, today))
    if first is not None:
        raise DomainError(first.message, errors={first.field: [first.message]} if first.field else None)


def process_flow_attach(app: Application, *, actor: Any) -> None:
    """No process flow attached but every product has its steps: draw the document from them and attach it."""
    if app.documents.filter(kind=FROM_STEPS).exists():
        return
    document = generated_document_render(business_id=app.business_id, kind=FROM_STEPS, actor_id=actor.pk)
    if document is not None:
        app.documents.add(document)
