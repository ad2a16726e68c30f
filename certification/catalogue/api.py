"""`/api/v1/public/catalogue/`: the public catalogue as open data (no login), paginated JSON."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from applicants.models.listings import ProductListing
from certification.catalogue import selectors as market_selectors
from certification.catalogue.views import PERMIT_FILTERS, catalogue_filters, catalogue_row


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


@extend_schema_view(
    get=extend_schema(
        summary="Public catalogue of certified halal products (open data)",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Product or business name contains"),
            OpenApiParameter("region", OpenApiTypes.STR, description="Regency/city code (4 digits)"),
            OpenApiParameter("category", OpenApiTypes.STR, description="Product category code"),
            OpenApiParameter("permit", OpenApiTypes.STR, enum=list(PERMIT_FILTERS)),
        ],
    )
)
class PublicCatalogueView(generics.ListAPIView):
    serializer_class = CatalogueEntrySerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ProductListing]:
        return market_selectors.catalogue(**catalogue_filters(self.request.query_params))
