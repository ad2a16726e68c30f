"""Owner pages for a product's distribution permits; the permit document download for its readers."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants import selectors
from applicants.models import Business, Product
from applicants.models.permits import DistributionPermit
from applicants.permits import services as permit_services
from applicants.permits.forms import PermitForm
from applicants.views.common import READERS, confirm_delete
from applicants.views.owner import _form_error
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.files.uploads import download_name


def _permit_page(
    request: HttpRequest, business: Business, product: Product, permit: DistributionPermit | None
) -> HttpResponse:
    initial = {}
    if permit is not None:
        initial = {name: getattr(permit, name) for name in permit_services.PERMIT_FIELDS}
    form = PermitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        file = form.cleaned_data.get("document") or None
        try:
            if permit is None:
                permit_services.permit_create(actor=request.user, product=product, fields=fields, file=file)
            else:
                permit_services.permit_update(actor=request.user, permit=permit, fields=fields, file=file)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Permit saved."))
            return redirect("applicants:business_detail", pk=business.pk)
    context = {"form": form, "business": business, "product": product, "permit": permit}
    return render(request, "applicants/permit_form.html", context)


@role_required(roles.OWNER)
def permit_new(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    product = get_object_or_404(business.products.select_related("business"), pk=product_pk)
    return _permit_page(request, business, product, None)


@role_required(roles.OWNER)
def permit_edit(request: HttpRequest, pk: int, product_pk: int, permit_pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    product = get_object_or_404(business.products.select_related("business"), pk=product_pk)
    permit = get_object_or_404(product.permits.select_related("product__business"), pk=permit_pk)
    return _permit_page(request, business, product, permit)


@role_required(roles.OWNER)
def permit_delete(request: HttpRequest, pk: int, product_pk: int, permit_pk: int) -> HttpResponse:
    """Asks first (GET); the POST deletes."""
    business = selectors.business_get_for(request.user, pk, for_change=True)
    permit = get_object_or_404(
        DistributionPermit.objects.select_related("product__business"),
        pk=permit_pk,
        product_id=product_pk,
        product__business=business,
    )
    if request.method != "POST":
        return confirm_delete(
            request,
            subject=f"{permit.get_kind_display()} · {permit.product.name}",
            back_url=reverse("applicants:permit_edit", args=[business.pk, product_pk, permit.pk]),
            consequences=[_("The permit and its document are removed from the product.")],
        )
    permit_services.permit_delete(actor=request.user, permit=permit)
    messages.success(request, _("Permit deleted."))
    return redirect("applicants:business_detail", pk=business.pk)


@role_required(*READERS)
def permit_document(request: HttpRequest, permit_pk: int) -> HttpResponse:
    permit = get_object_or_404(selectors.permits_for(request.user).exclude(document=""), pk=permit_pk)
    try:
        handle = permit.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(permit.document_name, permit.document_content_type),
        content_type=permit.document_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
