"""Owner pages of the dossier: the person responsible, the halal supervisor, facilities and outlets."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants import selectors
from applicants.dossier import services as dossier_services
from applicants.forms import FacilityForm, PersonForm
from applicants.models import Person
from applicants.views.common import confirm_delete
from applicants.views.owner import _form_error
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError


@role_required(roles.OWNER)
def person_edit(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    if role not in Person.Role.values:
        raise Http404
    person = business.people.filter(role=role).first()
    form = PersonForm(request.POST or None, instance=person, business=business, role=role)
    if request.method == "POST" and form.is_valid():
        try:
            dossier_services.person_save(actor=request.user, business=business, role=role, fields=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("applicants:business_detail", pk=business.pk)
    title = Person.Role(role).label
    context = {"form": form, "business": business, "title": title, "step": "business"}
    return render(request, "applicants/dossier_form.html", context)


@role_required(roles.OWNER)
def facility_new(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier_services.facility_add(actor=request.user, business=business, fields=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("applicants:business_detail", pk=business.pk)
    context = {"form": form, "business": business, "title": _("Facility or outlet"), "step": "business"}
    return render(request, "applicants/dossier_form.html", context)


@role_required(roles.OWNER)
def facility_delete(request: HttpRequest, pk: int, facility_pk: int) -> HttpResponse:
    """Asks first (GET); the POST deletes. Submitted cases keep the facility in their evidence."""
    business = selectors.business_get_for(request.user, pk, for_change=True)
    facility = get_object_or_404(business.facilities, pk=facility_pk)
    back = reverse("applicants:business_detail", args=[business.pk])
    if request.method != "POST":
        consequences = [
            _("It is removed from your business's data; cases already submitted keep it in what they rest on.")
        ]
        return confirm_delete(request, subject=str(facility), back_url=back, consequences=consequences)
    dossier_services.facility_delete(actor=request.user, facility=facility)
    messages.success(request, _("Deleted."))
    return redirect(back)
