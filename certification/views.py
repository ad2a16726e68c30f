"""Pages of the certification app: owners apply and follow; reviewers work the queue; assistants validate."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.models import Business, Ingredient
from applicants.selectors import is_national
from certification import conversation, selectors, services
from certification.contact import contact_of
from certification.eligibility import sehati_eligibility
from certification.evidence.views import evidence_context
from certification.filters import QueueFilterForm
from certification.forms import (
    ActionForm,
    ApplyForm,
    AssignForm,
    ContentsForm,
    PathwayForm,
    RevokeForm,
)
from certification.models import Appeal, Application
from certification.owner_page import EDITABLE, editable_parts
from certification.payments.views import payment_context
from certification.verification.views import verification_context
from certification.workflow import clock
from certification.workflow import table as wf
from certification.workflow.next_steps import next_step
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.files.exports import csv_response
from core.files.uploads import download_name
from core.web.pagination import BoundedPaginator

REVIEWER_ROLES = wf.ACTOR_ROLES[wf.REVIEWER]


def _timeline(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "event": event,
            "action": wf.action_label(event.action) if event.action in wf.ACTION_LABELS else event.action,
            "label_id": wf.public_label(event.to_state, "id", application.pathway),
            "label_en": wf.public_label(event.to_state, "en", application.pathway),
            "fatwa_body": wf.FATWA_BODIES.get(event.data.get("fatwa_body", "")),
        }
        for event in selectors.events_of(application)
    ]


def _action_form(application: Application, user: Any, action: str, *args: Any) -> ActionForm:
    edge = selectors.edge_for(application, action, user) if action in wf.ACTIONS else None
    return ActionForm(
        *args,
        action=action,
        requires=edge.requires if edge is not None else (),
        application=application,
        initial={"expected_state": application.state, "action": action},
    )


def _action_forms(application: Application, user: Any) -> list[ActionForm]:
    return [_action_form(application, user, action) for action in selectors.allowed_actions(application, user)]


# Read with the case on its pages (one query instead of four): the newest evidence, the certificate and the
# assistant's verification (issue 34: the owner's case page was the largest share of the mixed load).
CASE_PAGE_RELATED = ("evidence", "certificate", "verification__updated_by")


def _case_context(application: Application, user: Any) -> dict[str, Any]:
    """What both the owner's page and the staff case page show: the clocks, the timeline (workflow events and the
    conversation's messages side by side), the documents."""
    today = selectors.cal.today()
    case_messages = list(conversation.messages_for(application, user))
    timeline = _timeline(application) + [{"message": message} for message in case_messages]
    timeline.sort(key=lambda item: (item["message"] if "message" in item else item["event"]).created_at)
    return {
        "application": application,
        "timeline": timeline,
        "case_messages": case_messages,
        "can_write_notes": roles.has_role(user, *roles.STAFF_ROLES) and not conversation.is_owner_of(application, user),
        "forms": _action_forms(application, user),
        "overdue": selectors.is_overdue(application, today),
        "legal": clock.legal_clock(application, today),
        "owner_window_passed": clock.owner_window_passed(application, today),
        "certificate": selectors.certificate_of(application),
        "case_documents": selectors.case_documents_of(application),
        "appeal": selectors.latest_appeal(application),
        "appeals": selectors.appeals_of(application),
        "appeal_window_ends": wf.appeal_window_ends(application) if application.state == "rejected" else None,
        "banding_window_ends": wf.banding_window_ends(application) if not application.banding_filed_on else None,
        **verification_context(application, user),
        **evidence_context(application, user),
        **payment_context(application, user),
    }


# --- Owner ---
@role_required(roles.OWNER)
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_for(request.user).filter(business__owner=request.user)
    today = selectors.cal.today()
    rows = []
    for application in applications.order_by("-created_at", "-id")[:100]:
        # The owner's own deadline first: paying or answering a return; else the office's stage.
        waiting = application.state in wf.PAUSED_STATES and application.owner_due_on is not None
        rows.append(
            {
                "application": application,
                "due": application.owner_due_on if waiting else application.due_on,
                "due_label": _owner_due_label(application) if waiting else _("Due on"),
                "overdue": clock.owner_window_passed(application, today)
                if waiting
                else selectors.is_overdue(application, today),
            }
        )
    return render(request, "certification/my_applications.html", {"rows": rows, "today": today})


def _owner_due_label(application: Application) -> str:
    return _("Pay by") if application.state == "awaiting_payment" else _("Answer by")


@role_required(roles.OWNER)
def apply(request: HttpRequest) -> HttpResponse:
    businesses = list(Business.objects.filter(owner=request.user).order_by("name", "id"))
    if not businesses:
        messages.warning(request, _("Register your business first."))
        return render(request, "certification/apply.html", {"businesses": []})
    chosen_id = request.POST.get("business") or request.GET.get("business") or businesses[0].pk
    business = next((b for b in businesses if str(b.pk) == str(chosen_id)), None)
    if business is None:
        raise PermissionDenied
    renewing = bool(request.GET.get("renew") or request.POST.get("previous_certificate"))
    form = ApplyForm(
        request.POST or None,
        business=business,
        renewing=renewing,
        initial={
            "developed_certificate": request.GET.get("develop") or None,
            "previous_certificate": request.GET.get("renew") or None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["pledge"] and data["pathway"] != wf.SELF_DECLARE:
                raise DomainError(_("A pledge is only signed for self-declare applications, not regular ones."))
            application = services.application_create(
                actor=request.user,
                business_id=business.pk,
                pathway=data["pathway"],
                product_ids=[p.pk for p in data["products"]],
                document_ids=[d.pk for d in data["documents"]],
                previous_certificate_id=data["previous_certificate"].pk if data.get("previous_certificate") else None,
                developed_certificate_id=data["developed_certificate"].pk
                if data.get("developed_certificate")
                else None,
                lph_id=data["lph"].pk if data.get("lph") and data["pathway"] == wf.REGULAR else None,
                pph_id=data["pph"].pk if data.get("pph") and data["pathway"] == wf.SELF_DECLARE else None,
            )
            if data["pledge"]:
                services.pledge_sign(application_id=application.pk, actor=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your draft application is saved. Check it and submit it."))
            return redirect("certification:owner-application", application.pk)
    eligibility = sehati_eligibility(business=business)
    return render(
        request,
        "certification/apply.html",
        {"businesses": businesses, "business": business, "form": form, "eligibility": eligibility},
    )


@role_required(roles.OWNER)
def owner_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        selectors.applications_for(request.user)
        .filter(business__owner=request.user)
        .select_related(*CASE_PAGE_RELATED),
        pk=pk,
    )
    # A draft or returned case shows the checklist and the products-and-documents form, kept under the live
    # dossier's key (certification.owner_page).
    needs, contents = (None, None)
    if application.state in EDITABLE:
        needs, contents = editable_parts(application, selectors.cal.today())
    return render(
        request,
        "certification/owner_application.html",
        {
            **_case_context(application, request.user),
            "contents": contents,
            "can_pledge": application.pathway == wf.SELF_DECLARE and application.state in ("draft", "returned"),
            # The checklist submit enforces (certification.readiness), shown before the owner presses "Ajukan".
            "needs": needs,
            "pathway_form": PathwayForm(
                business=application.business,
                initial={"pathway": application.pathway, "lph": application.lph_id},
                auto_id="pathway_%s",
            )
            if application.state == "draft"
            else None,
            "next_step": next_step(application),
        },
    )


@role_required(roles.OWNER)
@require_POST
def change_contents(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        selectors.applications_for(request.user).filter(business__owner=request.user), pk=pk
    )
    form = ContentsForm(request.POST, business=application.business)
    if not form.is_valid():
        messages.error(request, _("Choose at least one product."))
        return redirect("certification:owner-application", application.pk)
    try:
        services.application_update(
            application_id=application.pk,
            actor=request.user,
            product_ids=[p.pk for p in form.cleaned_data["products"]],
            document_ids=[d.pk for d in form.cleaned_data["documents"]],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Products and documents saved."))
    return redirect("certification:owner-application", application.pk)


@role_required(roles.OWNER)
@require_POST
def change_pathway(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        selectors.applications_for(request.user).filter(business__owner=request.user), pk=pk
    )
    lph = request.POST.get("lph", "")
    try:
        services.application_pathway_change(
            application_id=application.pk,
            actor=request.user,
            pathway=request.POST.get("pathway", ""),
            lph_id=int(lph) if lph.isdigit() else None,
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pathway changed."))
    return redirect("certification:owner-application", application.pk)


@role_required(roles.OWNER)
@require_POST
def sign_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        selectors.applications_for(request.user).filter(business__owner=request.user), pk=pk
    )
    try:
        services.pledge_sign(application_id=application.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pledge signed."))
    return redirect("certification:owner-application", application.pk)


# --- Every actor: take an action ---
@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    owner_page = application.business.owner_id == request.user.pk
    target = "certification:owner-application" if owner_page else "certification:case"
    form = _action_form(application, request.user, request.POST.get("action", ""), request.POST, request.FILES)
    if request.POST.get("action", "") not in wf.ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect(target, pk)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(target, pk)
    try:
        services.application_transition(
            application_id=pk,
            action=form.action_name,
            actor=request.user,
            expected_state=form.cleaned_data["expected_state"],
            **form.payload(),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        # A sentence, then (for the owner) what happens next: "Langkah “Ajukan” selesai. Kantor menugaskan ..."
        done = _("The step “%(action)s” is done.") % {"action": wf.action_label(form.action_name)}
        upcoming = ""
        if owner_page:
            application.refresh_from_db(fields=["state", "pathway"])
            upcoming = next_step(application)
        messages.success(request, f"{done} {upcoming}".strip())
    return redirect(target, pk)


# --- Reviewer and assistant ---
ASSIGN_LISTS_SECONDS = 60  # how long the queue page keeps its rendered reviewer and assistant lists


@role_required(*REVIEWER_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    page = BoundedPaginator(selectors.case_queue(request.user, data), 50).get_page(request.GET.get("page"))
    # Built only when the template's cached fragment of the assignment lists is missing (see queue.html).
    assign = SimpleLazyObject(lambda: AssignForm(applications=Application.objects.none(), actor=request.user))
    today = selectors.cal.today()
    rows = [
        {
            "application": a,
            "overdue": selectors.is_overdue(a, today),
            "url": reverse("certification:case", args=[a.pk]),
        }
        for a in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certification/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "assign": assign,
            "assign_lists_seconds": ASSIGN_LISTS_SECONDS,
            # national staff share one cached copy of the lists; regional staff get their own
            "assign_lists_scope": "national" if is_national(request.user) else f"user-{request.user.pk}",
            "query": query.urlencode(),
        },
    )


@role_required(*REVIEWER_ROLES)
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(request.POST, applications=selectors.applications_for(request.user), actor=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose applications and a reviewer or an assistant."))
        return redirect("certification:queue")
    try:
        count = services.application_assign(
            application_ids=[a.pk for a in form.cleaned_data["applications"]],
            actor=request.user,
            reviewer=form.cleaned_data["reviewer"],
            pph=form.cleaned_data["pph"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s applications assigned.") % {"count": count})
    return redirect("certification:queue")


@role_required(*REVIEWER_ROLES, roles.PPH)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user).select_related(*CASE_PAGE_RELATED), pk=pk)
    return render(
        request,
        "certification/case.html",
        {
            **_case_context(application, request.user),
            "documents": application.documents.order_by("kind", "id"),
            "products": application.products.order_by("name", "id").prefetch_related(
                Prefetch("ingredients", queryset=Ingredient.objects.select_related("positive_list_entry")),
                "steps__ingredients",
            ),
            "revoke_form": RevokeForm(),
            "contact": contact_of(application, request.user),
        },
    )


@role_required(roles.PPH)
def pph_cases(request: HttpRequest) -> HttpResponse:
    queryset = selectors.applications_for(request.user).filter(assigned_pph=request.user)
    today = selectors.cal.today()
    rows = [
        {"application": a, "overdue": selectors.is_overdue(a, today)} for a in selectors.queue_ordering(queryset)[:200]
    ]
    return render(request, "certification/pph_cases.html", {"rows": rows})


def _half_year(value: str | None) -> tuple[date, date, str] | None:
    """`2026-1` (January-June) or `2026-2` (July-December) -> (first day, first day after, label); None if bad."""
    if not value:
        today = timezone.localdate()
        value = f"{today.year}-{1 if today.month <= 6 else 2}"
    match = re.fullmatch(r"(\d{4})-([12])", value)
    if match is None:
        return None
    year, half = int(match[1]), int(match[2])
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 7, 1) if half == 1 else date(year + 1, 1, 1)
    return start, end, value


@role_required(*roles.STAFF_ROLES)
def assistants(request: HttpRequest) -> HttpResponse:
    """The assistant directory for staff: LP3H, regions served, open cases and validations in the last six months;
    `?format=csv&half=2026-1` exports each assistant's validations in a half-year for the LP3H."""
    if request.GET.get("format") == "csv":
        period = _half_year(request.GET.get("half"))
        if period is None:
            return HttpResponseBadRequest(
                _("Choose a half-year such as 2026-1 (January to June) or 2026-2 (July to December).")
            )
        start, end, label = period
        tz = timezone.get_current_timezone()
        rows = selectors.assistant_workload(
            user=request.user, since=datetime.combine(start, time.min, tz), until=datetime.combine(end, time.min, tz)
        )
        header = [_("Assistant"), _("E-mail"), "LP3H", _("Regions served"), _("Cases validated"), _("Open cases")]
        return csv_response(
            f"pph-activity-{label}.csv",
            header,
            ([u, u.email, _lp3h_of(u), _regions_of(u), u.validated, u.open_cases] for u in rows),
        )
    since = timezone.now() - timedelta(days=183)
    rows = [
        {"user": u, "lp3h": _lp3h_of(u), "regions": _regions_of(u)}
        for u in selectors.assistant_workload(user=request.user, since=since)
    ]
    return render(request, "certification/assistants.html", {"rows": rows})


def _lp3h_of(user: Any) -> str:
    profile = getattr(user, "pph_profile", None)
    return profile.lp3h.name if profile else "—"


def _regions_of(user: Any) -> str:
    return ", ".join(row.region.name for row in user.jurisdiction.all()) or _("All regions")


@login_required
def appeal_attachment(request: HttpRequest, pk: int, appeal_pk: int) -> HttpResponse:
    """An appeal's attachment: the owner, the assigned assistant and staff who may see the case; else 404."""
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    appeal = get_object_or_404(Appeal.objects.filter(application=application), pk=appeal_pk)
    if not appeal.attachment:
        raise Http404
    response = FileResponse(
        appeal.attachment.open("rb"),
        as_attachment=True,
        filename=download_name(appeal.attachment_name, appeal.attachment_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def case_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A document the platform wrote for the case (STTD, not-halal statement): the owner, the assigned assistant and
    staff may download it; anyone else gets 404."""
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    document = selectors.case_documents_of(application).filter(kind=kind).first()
    if document is None or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{application.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The conversation on a case ---
@role_required(roles.OWNER, roles.PPH, *REVIEWER_ROLES)
@require_POST
def case_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    owner = conversation.is_owner_of(application, request.user)
    try:
        conversation.case_message_post(
            application=application,
            author=request.user,
            body=request.POST.get("body", ""),
            internal=request.POST.get("internal") == "1",
            attachment=request.FILES.get("attachment"),
        )
        messages.success(request, _("Your message was sent."))
    except DomainError as error:
        messages.error(request, str(error))
    page = "certification:owner-application" if owner else "certification:case"
    return redirect(reverse(page, args=[application.pk]) + "#conversation")


@role_required(roles.OWNER, roles.PPH, *REVIEWER_ROLES)
def case_message_file(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    message = get_object_or_404(conversation.messages_for(application, request.user), pk=message_pk)
    if not message.attachment:
        raise Http404
    return FileResponse(message.attachment.open("rb"), as_attachment=True, filename=message.attachment_name)
