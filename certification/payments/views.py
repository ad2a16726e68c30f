"""The payment step's pages: the owner uploads the proof, the office records the bill and confirms the payment.
Someone else's case answers 404 (the selectors' scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import selectors
from certification.models import Application, Bill
from certification.payments import services
from certification.payments.forms import BillForm, ProofForm
from certification.workflow import table as wf
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.files.uploads import download_name

REVIEWER_ROLES = wf.ACTOR_ROLES[wf.REVIEWER]


def payment_context(application: Application, user: Any) -> dict[str, Any]:
    """What the payment card of a case shows (one query, and only while the case waits for its payment)."""
    if application.pathway != wf.REGULAR or application.state != "awaiting_payment":
        return {}
    bill = Bill.objects.filter(application=application).first()
    staff = roles.has_role(user, *REVIEWER_ROLES) and application.business.owner_id != user.pk
    initial = {"amount": application.fee_amount or "", "due_on": application.owner_due_on, "channel": "simponi"}
    if bill is not None:
        initial = {k: getattr(bill, k) for k in ("amount", "channel", "code", "bank", "due_on")}
    return {
        "bill": bill,
        "bill_form": BillForm(initial=initial, auto_id="bill_%s") if staff else None,
        "proof_form": ProofForm() if not staff else None,
        "payment_staff": staff,
    }


def _errors(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error))


@role_required(roles.OWNER)
@require_POST
def proof_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        selectors.applications_for(request.user).filter(business__owner=request.user), pk=pk
    )
    try:
        services.payment_proof_upload(
            application_id=application.pk, actor=request.user, proof=request.FILES.get("proof")
        )
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Payment proof uploaded. The office checks it and then starts the audit."))
    return redirect(reverse("certification:owner-application", args=[application.pk]) + "#payment")


@login_required
def proof_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's proof: the owner and staff who may see the case; anyone else 404."""
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    bill = Bill.objects.filter(application=application).first()
    if bill is None or not bill.proof:
        raise Http404
    response = FileResponse(
        bill.proof.open("rb"), as_attachment=True, filename=download_name(bill.proof_name, bill.proof_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*REVIEWER_ROLES)
@require_POST
def bill_record(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    # Plain text fields: the service checks every value and says what is wrong in the person's language.
    data = {key: request.POST.get(key, "") for key in ("amount", "channel", "code", "bank", "due_on")}
    try:
        services.bill_record(application_id=application.pk, actor=request.user, **data)
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Bill recorded; the owner was told how to pay."))
    return redirect(reverse("certification:case", args=[application.pk]) + "#payment")


@role_required(*REVIEWER_ROLES)
@require_POST
def payment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    try:
        services.payment_confirm(application_id=application.pk, actor=request.user, note=request.POST.get("note", ""))
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Payment confirmed; the case moves on to the LPH audit."))
    return redirect("certification:case", application.pk)
