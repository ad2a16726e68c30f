"""Pages of BPOM facilitation cases: owners ask and follow; officers open, move and close them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants.models import Business
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.web.pagination import CachedCountPaginator
from training.facilitation import services
from training.facilitation.forms import ActForm, OfficerOpenForm, OwnerRequestForm
from training.facilitation.selectors import facilitations_for
from training.models.facilitation import FacilitationState

READERS = (roles.OWNER, roles.OFFICER, roles.ADMIN, roles.REVIEWER)


def _refused(form: object, error: DomainError) -> None:
    placed = False
    for field, field_messages in error.errors.items():
        if field in form.fields:  # type: ignore[attr-defined]
            for message in field_messages:
                form.add_error(field, message)  # type: ignore[attr-defined]
            placed = True
    if not placed:
        form.add_error(None, str(error.message))  # type: ignore[attr-defined]


@role_required(*READERS)
def facilitation_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or ""
    queryset = facilitations_for(request.user)
    if state in FacilitationState.values:
        queryset = queryset.filter(state=state)
    page = CachedCountPaginator(queryset, 50).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": FacilitationState.choices}
    return render(request, "training/facilitation_list.html", context)


@role_required(roles.OWNER, roles.OFFICER, roles.ADMIN)
def facilitation_new(request: HttpRequest) -> HttpResponse:
    officer = roles.has_role(request.user, roles.OFFICER, roles.ADMIN)
    data = request.POST or None
    initial = {"program": request.GET.get("program")} if request.GET.get("program", "").isdigit() else {}
    form = OfficerOpenForm(data, initial=initial) if officer else OwnerRequestForm(data, owner=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            if officer:
                business = Business.objects.filter(nib=values["nib"]).first()
                if business is None:
                    raise DomainError(
                        _("No business is registered with that NIB."),
                        errors={"nib": [_("No business is registered with that NIB.")]},
                    )
                case = services.facilitation_open(
                    actor=request.user,
                    business=business,
                    product=services.product_named(business=business, name=values["product"]),
                    program=values.get("program"),
                    note=values.get("note", ""),
                )
            else:
                case = services.facilitation_open(
                    actor=request.user,
                    business=values["business"],
                    product=values.get("product"),
                    note=values.get("note", ""),
                )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Facilitation case opened."))
            return redirect("training:facilitation-detail", pk=case.pk)
    return render(request, "training/facilitation_form.html", {"form": form, "officer": officer})


@role_required(*READERS)
def facilitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(facilitations_for(request.user), pk=pk)
    context = {
        "case": case,
        "events": case.events.select_related("actor"),
        "actions": services.actions_for(case, request.user),
        "form": ActForm(),
    }
    return render(request, "training/facilitation_detail.html", context)


@require_POST
@role_required(roles.OFFICER, roles.ADMIN)
def facilitation_act(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(facilitations_for(request.user), pk=pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        raise Http404
    values = form.cleaned_data
    try:
        services.facilitation_transition(
            case_id=case.pk,
            action=values["action"],
            actor=request.user,
            md_number=values.get("md_number", ""),
            reason=values.get("reason", ""),
            note=values.get("note", ""),
        )
    except DomainError as error:
        _refused(form, error)
        context = {
            "case": case,
            "events": case.events.select_related("actor"),
            "actions": services.actions_for(case, request.user),
            "form": form,
        }
        return render(request, "training/facilitation_detail.html", context, status=400)
    messages.success(request, _("Case updated."))
    return redirect("training:facilitation-detail", pk=case.pk)
