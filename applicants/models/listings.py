"""A product's public catalogue entry, kept by its owner: opt-in, photo, description, price range, how to buy.

The catalogue itself (which entries show, with their live certificate status) lives in certification, which may
read this app; applicants knows nothing about certificates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files.names import random_file_name


def listing_photo_upload_to(instance: ProductListing, filename: str) -> str:
    return random_file_name(f"catalogue/{instance.product_id}", filename)


class ProductListing(models.Model):
    product = models.OneToOneField(
        "applicants.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="listing"
    )
    published = models.BooleanField(_("show in the public catalogue"), default=False)
    description = models.TextField(_("description for buyers"), max_length=2000, blank=True)
    price_min = models.BigIntegerField(_("lowest price (Rp)"), null=True, blank=True)
    price_max = models.BigIntegerField(_("highest price (Rp)"), null=True, blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, blank=True)  # stored as 628…
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    links = models.JSONField(_("marketplace and shop links"), default=list, blank=True)
    photo = models.FileField(_("photo"), upload_to=listing_photo_upload_to, max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), upload_to=listing_photo_upload_to, max_length=200, blank=True)
    photo_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min__isnull=True)
                | models.Q(price_max__isnull=True)
                | models.Q(price_max__gte=models.F("price_min")),
                name="listing_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(price_min__isnull=True) | models.Q(price_min__gte=0),
                name="listing_price_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["published"], name="listing_published_idx")]

    def __str__(self) -> str:
        return f"{self.product_id}"

    @property
    def whatsapp_url(self) -> str:
        return f"https://wa.me/{self.whatsapp}" if self.whatsapp else ""


def more_photo_upload_to(instance: ListingPhoto, filename: str) -> str:
    return random_file_name(f"catalogue/more/{instance.listing_id}", filename)


class ListingPhoto(models.Model):
    """A further photo of a catalogue entry (the entry's own photo is the first); re-encoded like it."""

    listing = models.ForeignKey(
        ProductListing, verbose_name=_("catalogue entry"), on_delete=models.CASCADE, related_name="more_photos"
    )
    photo = models.FileField(_("photo"), upload_to=more_photo_upload_to, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=more_photo_upload_to, max_length=200)
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["listing", "id"]
        verbose_name = _("further photo")
        verbose_name_plural = _("further photos")

    def __str__(self) -> str:
        return f"{self.listing_id}/{self.pk}"
