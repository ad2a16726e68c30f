"""The owner's page for a product's public catalogue entry."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from applicants import selectors
from applicants.listings import services as listing_services
from applicants.models.listings import ProductListing
from applicants.permits.forms import ListingForm
from applicants.views.owner import _form_error
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError


@role_required(roles.OWNER)
def listing_edit(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    business = selectors.business_get_for(request.user, pk, for_change=True)
    product = get_object_or_404(business.products.select_related("business"), pk=product_pk)
    listing = ProductListing.objects.filter(product=product).first()
    initial = {}
    if listing is not None:
        initial = {name: getattr(listing, name) for name in listing_services.LISTING_FIELDS}
        initial["links"] = "\n".join(listing.links)
    form = ListingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None) or None
        remove_photo = data.pop("remove_photo", False)
        more_photos = data.pop("more_photos", None) or []
        remove_more_photos = data.pop("remove_more_photos", False)
        try:
            listing_services.listing_save(
                actor=request.user,
                product=product,
                fields=data,
                photo=photo,
                remove_photo=remove_photo,
                more_photos=more_photos,
                remove_more_photos=remove_more_photos,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Catalogue entry saved."))
            return redirect("applicants:business_detail", pk=business.pk)
    context = {"form": form, "business": business, "product": product, "listing": listing}
    return render(request, "applicants/listing_form.html", context)


@role_required(roles.OWNER)
def listing_photo(request: HttpRequest, listing_pk: int) -> HttpResponse:
    """The owner's own thumbnail (published or not); the public sees photos through the catalogue only."""
    listing = get_object_or_404(
        ProductListing.objects.filter(product__business__owner=request.user).exclude(thumbnail=""), pk=listing_pk
    )
    try:
        handle = listing.thumbnail.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response
