"""`/api/v1/businesses/{id}/products/{id}/permits/`: a product's distribution permits.

Reading as the business (owners their own, staff and assistants all; anyone else 404); writing only the owner.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from applicants import selectors
from applicants.api.views import CanRead
from applicants.models import Product
from applicants.models.permits import DistributionPermit
from applicants.permits import services as permit_services
from core.api.jsonguard import GuardedJSONParser


class PermitSerializer(serializers.ModelSerializer):
    number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    document = serializers.FileField(write_only=True, required=False)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = DistributionPermit
        fields = ["id", "kind", "number", "issuer", "issued_on", "expires_on", "document", "document_url"]
        read_only_fields = ["id"]
        validators: list[Any] = []  # the service checks (and explains) uniqueness and the dates

    def get_document_url(self, obj: DistributionPermit) -> str | None:
        return reverse("applicants:permit_document", args=[obj.pk]) if obj.document else None


class _ProductNested(generics.GenericAPIView):
    permission_classes = [CanRead]
    serializer_class = PermitSerializer
    parser_classes = [MultiPartParser, FormParser, GuardedJSONParser]

    def product(self) -> Product:
        business = selectors.business_get_for(self.request.user, self.kwargs["business_pk"])
        return get_object_or_404(business.products.select_related("business"), pk=self.kwargs["product_pk"])

    def ensure_owner(self, product: Product) -> None:
        if product.business.owner_id != self.request.user.pk:
            raise PermissionDenied


class PermitListCreate(_ProductNested, generics.ListCreateAPIView):
    pagination_class = None

    def get_queryset(self) -> QuerySet[DistributionPermit]:
        if getattr(self, "swagger_fake_view", False):
            return DistributionPermit.objects.none()
        return self.product().permits.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        product = self.product()
        self.ensure_owner(product)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        file = data.pop("document", None)
        permit = permit_services.permit_create(actor=request.user, product=product, fields=data, file=file)
        return Response(self.get_serializer(permit).data, status=status.HTTP_201_CREATED)


class PermitDetail(_ProductNested, generics.RetrieveUpdateDestroyAPIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> DistributionPermit:
        return get_object_or_404(self.product().permits.select_related("product__business"), pk=self.kwargs["pk"])

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        permit = self.get_object()
        self.ensure_owner(permit.product)
        serializer = self.get_serializer(permit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        file = data.pop("document", None)
        permit = permit_services.permit_update(actor=request.user, permit=permit, fields=data, file=file)
        return Response(self.get_serializer(permit).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        permit = self.get_object()
        self.ensure_owner(permit.product)
        permit_services.permit_delete(actor=request.user, permit=permit)
        return Response(status=status.HTTP_204_NO_CONTENT)
