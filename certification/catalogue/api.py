"""`/api/v1/public/catalogue/`: the public catalogue as open data (no login), paginated JSON."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from applicants.models import Product
from applicants.models.listings import ProductListing
from certification.catalogue import selectors as market_selectors
from certification.catalogue.views import PERMIT_FILTERS, catalogue_filters, catalogue_row
from core.api.filtering import cleaned_filters
from core.web.pagination import BoundedCountPagination


class CataloguePermitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    number = serializers.CharField()


class CatalogueEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField()
    category = serializers.CharField()
    business = serializers.CharField()
    regency_code = serializers.CharField()
    regency = serializers.CharField()
    certificate_number = serializers.CharField()
    permits = CataloguePermitSerializer(many=True)
    price_min = serializers.IntegerField(allow_null=True)
    price_max = serializers.IntegerField(allow_null=True)
    whatsapp = serializers.CharField(help_text="A wa.me link, or empty")
    phone = serializers.CharField()
    links = serializers.ListField(child=serializers.URLField())
    url = serializers.URLField(help_text="The product's catalogue page")

    def to_representation(self, instance: ProductListing) -> dict[str, Any]:
        return catalogue_row(instance)


class CataloguePagination(BoundedCountPagination):
    """`count` exact up to 1,000 entries, kept a minute (the list page's rule): an exact national count took
    1.5-2 s at 1M."""

    count_seconds = 60


@extend_schema_view(
    get=extend_schema(
        summary="Public catalogue of certified halal products (open data)",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Product or business name contains"),
            OpenApiParameter("region", OpenApiTypes.STR, description="Regency/city code (4 digits)"),
            OpenApiParameter("category", OpenApiTypes.STR, enum=list(Product.Category.values)),
            OpenApiParameter("permit", OpenApiTypes.STR, enum=list(PERMIT_FILTERS)),
        ],
    )
)
class PublicCatalogueView(generics.ListAPIView):
    serializer_class = CatalogueEntrySerializer
    pagination_class = CataloguePagination
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ProductListing]:
        cleaned_filters(CatalogueFilterSet, self.request)  # open data: an unknown value is a 400 naming it
        return market_selectors.catalogue(**catalogue_filters(self.request.query_params))


class CatalogueFilterSet(django_filters.FilterSet):
    """The open-data catalogue's filters (the HTML page keeps ignoring what it does not know)."""

    q = django_filters.CharFilter(max_length=100)
    region = django_filters.CharFilter(
        validators=[RegexValidator(r"^\d{4}$", _("“%(value)s” is not a regency or city code (4 digits)."))]
    )
    category = django_filters.ChoiceFilter(choices=Product.Category.choices)
    permit = django_filters.ChoiceFilter(choices=[(value, value) for value in PERMIT_FILTERS])

    class Meta:
        model = ProductListing
        fields: list[str] = []
