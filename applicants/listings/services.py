"""Writes to a product's catalogue entry; only the product's owner. Bad input writes nothing (no row, no file)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Product
from applicants.models.listings import ListingPhoto, ProductListing
from core import phones
from core.access import roles
from core.errors import DomainError
from core.files.images import photo_resize
from core.validators import MAX_RUPIAH

LISTING_FIELDS = ("published", "description", "price_min", "price_max", "whatsapp", "phone", "links")
MAX_LINKS = 3
MAX_MORE_PHOTOS = 3  # besides the entry's own photo
MAX_DESCRIPTION = 2000
# https only, as the form's hint says: the catalogue is public and sends buyers to these shops.
_https_url = URLValidator(schemes=["https"])


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


def whatsapp_number(value: str) -> str:
    """The number as wa.me wants it (62…), from any way an Indonesian mobile number is written; DomainError if not."""
    if not (value or "").strip():
        return ""
    number = phones.whatsapp_digits(value)
    if not number:
        raise _refuse(
            "whatsapp", _("The WhatsApp number must be an Indonesian mobile number, for example 0812 3456 7890.")
        )
    return number


def _phone(value: str) -> str:
    if not (value or "").strip():
        return ""
    number = phones.compact(value)
    if not number:
        raise _refuse("phone", _("Enter a valid phone number, for example 0721 123456 or 0812 3456 7890."))
    return number


def _links(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    items = [str(item).strip() for item in (value or []) if str(item).strip()]
    if len(items) > MAX_LINKS:
        raise _refuse("links", _("At most %(n)s links.") % {"n": MAX_LINKS})
    for item in items:
        try:
            if len(item) > 300:
                raise ValidationError("too long")
            _https_url(item)
        except ValidationError:
            raise _refuse(
                "links",
                _("Each link must be a web address starting with https:// (%(link)s is not).") % {"link": item[:80]},
            ) from None
    return items


def _price(field: str, value: Any) -> int | None:
    if isinstance(value, str):
        # People write "Rp 15.000": the dots are thousands separators here, never decimals.
        value = value.strip().removeprefix("Rp").removeprefix("rp").replace(".", "").replace(" ", "")
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _refuse(field, _("Enter the price in whole rupiah.")) from None
    if number < 0 or number > MAX_RUPIAH:
        raise _refuse(field, _("Enter a price between Rp 0 and Rp 1.000.000.000.000.000."))
    return number


def check_listing(fields: Mapping[str, Any]) -> dict[str, Any]:
    description = str(fields.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise _refuse("description", _("The description is too long (at most 2,000 characters)."))
    price_min = _price("price_min", fields.get("price_min"))
    price_max = _price("price_max", fields.get("price_max"))
    if price_min is not None and price_max is not None and price_max < price_min:
        raise _refuse("price_max", _("The highest price must not be below the lowest price."))
    return {
        "published": bool(fields.get("published")),
        "description": description,
        "price_min": price_min,
        "price_max": price_max,
        "whatsapp": whatsapp_number(str(fields.get("whatsapp") or "")),
        "phone": _phone(str(fields.get("phone") or "")),
        "links": _links(fields.get("links")),
    }


def listing_save(
    *,
    actor: Any,
    product: Product,
    fields: Mapping[str, Any],
    photo: Any = None,
    remove_photo: bool = False,
    more_photos: Sequence[Any] = (),
    remove_more_photos: bool = False,
) -> ProductListing:
    """Create or change the product's catalogue entry. Fields not given keep their value. Every photo is checked
    and re-encoded before anything is written."""
    if product.business.owner_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise _refuse("product", _("Only the owner of this business may change it."))
    listing = ProductListing.objects.filter(product=product).first() or ProductListing(product=product)
    current = {name: getattr(listing, name) for name in LISTING_FIELDS}
    values = check_listing({**current, **fields})
    resized = photo_resize(photo) if photo is not None else None
    kept = 0 if remove_more_photos or listing.pk is None else listing.more_photos.count()
    if kept + len(more_photos) > MAX_MORE_PHOTOS:
        raise _refuse("more_photos", _("At most %(n)s further photos.") % {"n": MAX_MORE_PHOTOS})
    more = [photo_resize(item, field="more_photos") for item in more_photos]
    if values["published"] and not (values["whatsapp"] or values["phone"] or values["links"]):
        raise _refuse("whatsapp", _("To publish, give buyers a way to reach you: WhatsApp, phone or a shop link."))
    old_files: list[str] = (
        [f.name for f in (listing.photo, listing.thumbnail) if f] if (resized or remove_photo) else []
    )
    for name, value in values.items():
        setattr(listing, name, value)
    listing.updated_by = actor
    if remove_photo and resized is None:
        listing.photo, listing.thumbnail = "", ""
        listing.photo_width = listing.photo_height = None
    if resized is not None:
        listing.photo.save("photo.jpg", ContentFile(resized.photo), save=False)
        listing.thumbnail.save("thumb.jpg", ContentFile(resized.thumbnail), save=False)
        listing.photo_width, listing.photo_height = resized.width, resized.height
    try:
        with transaction.atomic():
            listing.save()
            if remove_more_photos:
                for extra in listing.more_photos.all():
                    old_files += [extra.photo.name, extra.thumbnail.name]
                listing.more_photos.all().delete()
            for item in more:
                extra = ListingPhoto(listing=listing, width=item.width, height=item.height)
                extra.photo.save("photo.jpg", ContentFile(item.photo), save=False)
                extra.thumbnail.save("thumb.jpg", ContentFile(item.thumbnail), save=False)
                extra.save()
    except Exception:
        if resized is not None:
            listing.photo.delete(save=False)
            listing.thumbnail.delete(save=False)
        raise
    if old_files:
        storage = listing.photo.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    return listing
