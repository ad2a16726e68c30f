"""`/api/v1/businesses/{id}/products/{id}/listing/`: a product's public catalogue entry, as the owner's page keeps it.

The same service as the page (`listing_save`): PUT creates or replaces the entry's fields, PATCH changes the fields
given, DELETE withdraws the entry from the public catalogue (it stays, unpublished, to be published again). Reading
as the business (owners their own, staff and assistants all; anyone else 404); writing only the owner (403 for
staff who can read it). Whether a published entry shows depends on the product's valid certificate: the catalogue
(certification) decides that, not this app.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from applicants import selectors
from applicants.api.views import CanRead
from applicants.listings import services as listing_services
from applicants.models import Product
from applicants.models.listings import ProductListing
from core.api.jsonguard import GuardedJSONParser


class ListingSerializer(serializers.ModelSerializer):
    # Loose on the way in (prices as "Rp 15.000", links one per line or a list): the service checks and explains.
    price_min = serializers.CharField(required=False, allow_null=True, allow_blank=True, write_only=True)
    price_max = serializers.CharField(required=False, allow_null=True, allow_blank=True, write_only=True)
    links = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, write_only=True)
    # Any file: the service re-encodes the photo and explains a wrong one (DRF's ImageField would open it twice).
    photo = serializers.FileField(required=False, write_only=True)
    remove_photo = serializers.BooleanField(required=False, default=False, write_only=True)

    class Meta:
        model = ProductListing
        fields = [
            "published",
            "description",
            "price_min",
            "price_max",
            "whatsapp",
            "phone",
            "links",
            "photo",
            "remove_photo",
        ]
        extra_kwargs = {
            "published": {"required": False},
            "description": {"required": False},
            "whatsapp": {"required": False},
            "phone": {"required": False},
        }


class ListingReadSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    whatsapp_url = serializers.CharField(read_only=True)
    photo_url = serializers.SerializerMethodField()
    more_photos = serializers.SerializerMethodField()

    class Meta:
        model = ProductListing
        fields = [
            "id",
            "product",
            "published",
            "description",
            "price_min",
            "price_max",
            "whatsapp",
            "whatsapp_url",
            "phone",
            "links",
            "photo_url",
            "more_photos",
            "updated_at",
        ]
        read_only_fields = fields

    def get_photo_url(self, obj: ProductListing) -> str | None:
        return reverse("applicants:listing_photo", args=[obj.pk]) if obj.thumbnail else None

    def get_more_photos(self, obj: ProductListing) -> int:
        return obj.more_photos.count()


@extend_schema_view(
    get=extend_schema(responses=ListingReadSerializer, summary="The product's catalogue entry (404 when none)"),
    put=extend_schema(
        request=ListingSerializer,
        responses={200: ListingReadSerializer, 201: ListingReadSerializer},
        summary="Create or change the catalogue entry (fields not given keep their value)",
    ),
    patch=extend_schema(
        request=ListingSerializer, responses=ListingReadSerializer, summary="Change the catalogue entry"
    ),
    delete=extend_schema(
        responses=ListingReadSerializer,
        summary="Withdraw the entry from the public catalogue (it stays unpublished, to be published again)",
    ),
)
class ListingDetail(generics.GenericAPIView):
    permission_classes = [CanRead]
    serializer_class = ListingSerializer
    parser_classes = [MultiPartParser, FormParser, GuardedJSONParser]
    http_method_names = ["get", "put", "patch", "delete", "head", "options"]

    def product(self) -> Product:
        business = selectors.business_get_for(self.request.user, self.kwargs["business_pk"])
        return get_object_or_404(business.products.select_related("business"), pk=self.kwargs["product_pk"])

    def _owned(self) -> Product:
        product = self.product()
        if product.business.owner_id != self.request.user.pk:
            raise PermissionDenied
        return product

    def _entry(self, product: Product) -> ProductListing:
        listing = ProductListing.objects.filter(product=product).first()
        if listing is None:
            raise NotFound
        return listing

    def _answer(self, listing: ProductListing, code: int = status.HTTP_200_OK) -> Response:
        return Response(ListingReadSerializer(listing).data, status=code)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self._entry(self.product()))

    def _save(self, request: Request, *, partial: bool) -> Response:
        product = self._owned()
        existed = ProductListing.objects.filter(product=product).exists()
        if partial and not existed:
            raise NotFound
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        photo = data.pop("photo", None)
        remove_photo = bool(data.pop("remove_photo", False))
        listing = listing_services.listing_save(
            actor=request.user, product=product, fields=data, photo=photo, remove_photo=remove_photo
        )
        return self._answer(listing, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, partial=False)

    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, partial=True)

    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        product = self._owned()
        self._entry(product)
        listing = listing_services.listing_save(actor=request.user, product=product, fields={"published": False})
        return self._answer(listing)
