"""Owner pages: the onboarding flow (business -> figures -> products -> documents), editing, the detail page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applicants import selectors, services
from applicants.dossier import documents as generated_document_services
from applicants.forms import (
    BusinessForm,
    DocumentForm,
    DocumentReplaceForm,
    FiguresForm,
    IngredientFormSet,
    ProductForm,
    StepFormSet,
    ingredient_rows,
    step_initial,
    step_rows,
)
from applicants.models import Business, Document, Ingredient, Product
from applicants.readiness import business_needs
from applicants.views.common import READERS, confirm_delete
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.files.uploads import download_name


def _form_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on the whole form."""
    placed = False
    for field, field_messages in error.errors.items():
        if field in form.fields:
            for message in field_messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, str(error.message))


@role_required(roles.OWNER)
def my_businesses(request: HttpRequest) -> HttpResponse:
    businesses = list(selectors.with_completeness(selectors.businesses_owned_by(request.user)).select_related("region"))
    rows = [(b, selectors.business_completeness(b)) for b in businesses]
    if len(businesses) == 0:
        return redirect("applicants:business_new")
    return render(request, "applicants/my_businesses.html", {"rows": rows})


@role_required(roles.OWNER)
def business_new(request: HttpRequest) -> HttpResponse:
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_create(actor=request.user, fields=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Business registered. Next: file your annual figures."))
            return redirect("applicants:figures_new", pk=business.pk)
    return render(request, "applicants/business_form.html", {"form": form, "step": "business"})


@role_required(roles.OWNER)
def business_edit(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    form = BusinessForm(request.POST or None, instance=business)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_update(actor=request.user, business=business, fields=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Business saved."))
            return redirect("applicants:business_detail", pk=business.pk)
    return render(request, "applicants/business_form.html", {"form": form, "business": business, "step": "business"})


@role_required(*READERS)
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk)
    products = business.products.prefetch_related(
        Prefetch("ingredients", queryset=Ingredient.objects.select_related("positive_list_entry")),
        "steps__ingredients",
        "permits",
        "listing",
    )
    documents = business.documents.filter(retired_at__isnull=True).select_related("product")
    context = {
        "doubtful": selectors.doubtful_ingredients(business),
        "people": business.people.all(),
        "facilities": business.facilities.select_related("region"),
        "business": business,
        "can_change": business.owner_id == request.user.pk,
        "needs": business_needs(business) if business.owner_id == request.user.pk else None,
        "completeness": selectors.business_completeness(business),
        "history": list(reversed(selectors.scale_history(business))),
        "products": products,
        "documents": documents,
    }
    return render(request, "applicants/business_detail.html", context)


@role_required(roles.OWNER)
def figures_new(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    form = FiguresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.figures_create(actor=request.user, business=business, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Figures saved."))
            if not business.products.exists():
                return redirect("applicants:product_new", pk=business.pk)
            return redirect("applicants:business_detail", pk=business.pk)
    return render(request, "applicants/figures_form.html", {"form": form, "business": business, "step": "figures"})


@role_required(roles.OWNER)
def figures_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    figures = get_object_or_404(business.figures, year=year)
    form = FiguresForm(request.POST or None, instance=figures)
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            services.figures_update(actor=request.user, figures=figures, fields=values)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Figures saved."))
            return redirect("applicants:business_detail", pk=business.pk)
    return render(request, "applicants/figures_form.html", {"form": form, "business": business, "step": "figures"})


def _product_page(request: HttpRequest, business: Business, product: Product | None) -> HttpResponse:
    form = ProductForm(request.POST or None, instance=product)
    formset = IngredientFormSet(request.POST or None, instance=product or Product(business=business), prefix="ing")
    steps = StepFormSet(request.POST or None, initial=step_initial(product), prefix="step")
    steps_posted = "step-TOTAL_FORMS" in request.POST
    if request.method == "POST" and form.is_valid() and formset.is_valid() and (not steps_posted or steps.is_valid()):
        fields = form.cleaned_data
        rows, step_list = ingredient_rows(formset), (step_rows(steps) if steps_posted else None)
        try:
            if product is None:
                product = services.product_create(
                    actor=request.user, business=business, fields=fields, ingredients=rows, steps=step_list
                )
            else:
                services.product_update(
                    actor=request.user, product=product, fields=fields, ingredients=rows, steps=step_list
                )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Product saved."))
            if not business.documents.exists():
                return redirect("applicants:document_new", pk=business.pk)
            return redirect("applicants:business_detail", pk=business.pk)
    context = {
        "form": form,
        "formset": formset,
        "steps": steps,
        "business": business,
        "product": product,
        "step": "products",
    }
    return render(request, "applicants/product_form.html", context)


@role_required(roles.OWNER)
def product_new(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    return _product_page(request, business, None)


@role_required(roles.OWNER)
def product_edit(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    product = get_object_or_404(business.products, pk=product_pk)
    return _product_page(request, business, product)


@role_required(roles.OWNER)
def document_new(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    form = DocumentForm(request.POST or None, request.FILES or None, business=business)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                business=business,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                product=form.cleaned_data.get("product"),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("applicants:business_detail", pk=business.pk)
    context = {"form": form, "business": business, "step": "documents", "limit": settings.UPLOAD_MAX_BYTES}
    return render(request, "applicants/document_form.html", context)


@role_required(roles.OWNER)
def document_delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Asks first (GET); the POST deletes. A document a submitted case rests on is never deleted: the page says
    why and offers a replacement (409 when the deletion is posted anyway)."""
    business = selectors.business_get_for(request.user, pk, for_change=True)
    document = get_object_or_404(business.documents.filter(retired_at__isnull=True), pk=doc_pk)
    back = reverse("applicants:business_detail", args=[business.pk])
    page = {
        "subject": f"{document.get_kind_display()}: {document.original_name}",
        "back_url": back,
        "replace_url": reverse("applicants:document_replace", args=[business.pk, document.pk]),
    }
    if request.method != "POST":
        holds = selectors.evidence_holds(document)
        if holds:
            refusal = _("It cannot be deleted: %(reason)s. Upload a replacement instead.") % {"reason": holds[0]}
            return confirm_delete(request, refusal=refusal, **page)
        consequences = [_("The file is removed from your business's documents and from draft applications.")]
        return confirm_delete(request, consequences=consequences, **page)
    try:
        services.document_delete(actor=request.user, document=document)
    except DomainError as error:
        return confirm_delete(request, refusal=str(error.message), status=error.status_code, **page)
    messages.success(request, _("Document deleted."))
    return redirect(back)


@role_required(roles.OWNER)
def document_replace(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Upload a new version of a document: the old one stays with the submitted cases that rest on it."""
    business = selectors.business_get_for(request.user, pk, for_change=True)
    document = get_object_or_404(business.documents.filter(retired_at__isnull=True), pk=doc_pk)
    form = DocumentReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_replace(actor=request.user, document=document, file=form.cleaned_data["file"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Document replaced. Submitted cases keep the earlier version."))
            return redirect("applicants:business_detail", pk=business.pk)
    context = {"form": form, "business": business, "document": document, "limit": settings.UPLOAD_MAX_BYTES}
    return render(request, "applicants/document_replace.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(roles.OWNER)
def document_generate(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Have the worker draft the application letter or the SJPH manual from the business's data."""
    business = selectors.business_get_for(request.user, pk, for_change=True)
    try:
        chosen = request.POST.getlist("products") if kind == Document.Kind.APPLICATION_LETTER else []
        generated_document_services.generated_document_request(
            actor=request.user, business=business, kind=kind, product_ids=chosen or None
        )
    except DomainError as error:
        return HttpResponseBadRequest(str(error.message), content_type="text/plain; charset=utf-8")
    messages.success(
        request, _("The document is being prepared; it appears in the list of documents in a moment (reload the page).")
    )
    return redirect("applicants:business_detail", pk=business.pk)


@role_required(*READERS)
def document_download(request: HttpRequest, doc_pk: int) -> HttpResponse:
    """The only way to a stored file: the business's owner, staff and halal process assistants."""
    try:
        document = selectors.documents_for(request.user).get(pk=doc_pk)
    except (ValueError, Document.DoesNotExist):
        raise Http404 from None
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
