"""`/api/v1/businesses/` and its nested figures, products and documents.

Reading: owners their own businesses, staff and halal process assistants all (selectors.businesses_for); anything
else answers 404. Writing: only the business's owner (staff and assistants who can read it get 403; the registry
is the owners' own record — administrators correct mistakes in the admin site, where history is kept).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from applicants import selectors, services
from applicants.api.filters import BusinessFilterSet
from applicants.api.serializers import (
    BusinessSerializer,
    DocumentSerializer,
    FacilitySerializer,
    FiguresSerializer,
    PersonSerializer,
    PositiveListEntrySerializer,
    ProductSerializer,
)
from applicants.dossier import services as dossier_services
from applicants.models import (
    AnnualFigures,
    Business,
    Document,
    Facility,
    Ingredient,
    Person,
    PositiveListEntry,
    Product,
)
from core.access import roles
from core.api.filtering import cleaned_filters
from core.api.jsonguard import GuardedJSONParser
from core.api.permissions import HasRole

# Each ingredient with its positive-list entry (the classification reads it) in the ingredients' one query.
PRODUCT_PREFETCH = (
    Prefetch("ingredients", queryset=Ingredient.objects.select_related("positive_list_entry")),
    "steps__ingredients",
)
READERS = (*roles.STAFF_ROLES, roles.PPH, roles.OWNER)
CanRead = HasRole.of(*READERS)


def _ensure_owner(request: Request, business: Business) -> None:
    if business.owner_id != request.user.pk:
        raise PermissionDenied


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Name, NIB or product name contains"),
    OpenApiParameter("region", OpenApiTypes.INT, description="Region id (a province includes its regencies)"),
    OpenApiParameter("sector", OpenApiTypes.STR, enum=list(Business.Sector.values)),
    OpenApiParameter("scale", OpenApiTypes.STR, enum=["micro", "small", "medium", "large"]),
]


@extend_schema_view(get=extend_schema(parameters=FILTERS))
class BusinessListCreate(generics.ListCreateAPIView):
    serializer_class = BusinessSerializer
    permission_classes = [CanRead]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Business]:
        params = cleaned_filters(BusinessFilterSet, self.request)  # an unknown value: 400 naming it
        return selectors.registry_search(
            self.request.user,
            q=params.get("q", ""),
            region=int(params["region"]) if "region" in params else None,
            sector=params.get("sector", ""),
            scale=params.get("scale", ""),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not roles.has_role(request.user, roles.OWNER):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        business = services.business_create(actor=request.user, fields=serializer.validated_data)
        business = selectors.with_latest_figures(Business.objects.filter(pk=business.pk)).get()
        return Response(self.get_serializer(business).data, status=status.HTTP_201_CREATED)


class BusinessDetail(generics.RetrieveUpdateAPIView):
    serializer_class = BusinessSerializer
    permission_classes = [CanRead]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Business]:
        return selectors.with_latest_figures(selectors.businesses_for(self.request.user)).select_related(
            "region", "owner"
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.get_object()
        _ensure_owner(request, business)
        serializer = self.get_serializer(business, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.business_update(actor=request.user, business=business, fields=serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class _Nested(generics.GenericAPIView):
    permission_classes = [CanRead]

    def business(self) -> Business:
        return selectors.business_get_for(self.request.user, self.kwargs["business_pk"])


class FiguresListCreate(_Nested, generics.ListCreateAPIView):
    serializer_class = FiguresSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[AnnualFigures]:
        if getattr(self, "swagger_fake_view", False):
            return AnnualFigures.objects.none()
        return self.business().figures.order_by("-year")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.business()
        _ensure_owner(request, business)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        figures = services.figures_create(actor=request.user, business=business, **serializer.validated_data)
        return Response(self.get_serializer(figures).data, status=status.HTTP_201_CREATED)


class FiguresDetail(_Nested, generics.RetrieveUpdateAPIView):
    serializer_class = FiguresSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> AnnualFigures:
        return get_object_or_404(self.business().figures, year=self.kwargs["year"])

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        figures = self.get_object()
        _ensure_owner(request, figures.business)
        serializer = self.get_serializer(figures, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        figures = services.figures_update(actor=request.user, figures=figures, fields=serializer.validated_data)
        return Response(self.get_serializer(figures).data)


class ProductListCreate(_Nested, generics.ListCreateAPIView):
    serializer_class = ProductSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        return self.business().products.prefetch_related(*PRODUCT_PREFETCH)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.business()
        _ensure_owner(request, business)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ingredients = data.pop("ingredients", [])
        steps = data.pop("steps", None)
        product = services.product_create(
            actor=request.user, business=business, fields=data, ingredients=ingredients, steps=steps
        )
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetail(_Nested, generics.RetrieveUpdateAPIView):
    serializer_class = ProductSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Product:
        return get_object_or_404(self.business().products.prefetch_related(*PRODUCT_PREFETCH), pk=self.kwargs["pk"])

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        product = self.get_object()
        _ensure_owner(request, product.business)
        serializer = self.get_serializer(product, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ingredients = data.pop("ingredients", None)
        steps = data.pop("steps", None)
        services.product_update(actor=request.user, product=product, fields=data, ingredients=ingredients, steps=steps)
        return Response(self.get_serializer(self.get_object()).data)


class DocumentListCreate(_Nested, generics.ListCreateAPIView):
    serializer_class = DocumentSerializer
    pagination_class = None
    parser_classes = [MultiPartParser, FormParser, GuardedJSONParser]

    def get_queryset(self) -> QuerySet[Document]:
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return self.business().documents.filter(retired_at__isnull=True)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.business()
        _ensure_owner(request, business)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = services.document_upload(
            actor=request.user, business=business, kind=data["kind"], file=data["file"], product=data.get("product")
        )
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetail(_Nested, generics.RetrieveDestroyAPIView):
    """DELETE is refused (409, with the reason) while a submitted case rests on the document: replace it instead."""

    serializer_class = DocumentSerializer

    def get_object(self) -> Document:
        return get_object_or_404(self.business().documents, pk=self.kwargs["pk"])

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self.get_object()
        _ensure_owner(request, document.business)
        services.document_delete(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentReplaceSerializer(serializers.Serializer):
    file = serializers.FileField()


class DocumentReplace(_Nested, generics.GenericAPIView):
    """POST a new file for a document: the old one stays with the cases that rest on it (or is deleted when none
    does); drafts and returned applications carry the new one."""

    serializer_class = DocumentReplaceSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={201: DocumentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = get_object_or_404(self.business().documents, pk=self.kwargs["pk"])
        _ensure_owner(request, document.business)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.document_replace(actor=request.user, document=document, file=serializer.validated_data["file"])
        return Response(DocumentSerializer(new).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="words of the material's name")])
class PositiveListSearch(generics.ListAPIView):
    """The positive list (KMA 1360/2021) an owner picks an ingredient's material from: active entries whose name
    contains every word of `q` (at most 20)."""

    serializer_class = PositiveListEntrySerializer
    permission_classes = [CanRead]
    pagination_class = None
    queryset = PositiveListEntry.objects.none()  # the schema's model; the answer comes from get_queryset

    def get_queryset(self) -> Any:
        return selectors.positive_list_search(self.request.query_params.get("q", ""))


class PersonListSave(_Nested, generics.ListCreateAPIView):
    """GET the business's people; POST saves the person of that role (replacing the earlier one)."""

    serializer_class = PersonSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Person]:
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        return self.business().people.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.business()
        _ensure_owner(request, business)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        role = data.pop("role")
        person = dossier_services.person_save(actor=request.user, business=business, role=role, fields=data)
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)


class FacilityListCreate(_Nested, generics.ListCreateAPIView):
    serializer_class = FacilitySerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Facility]:
        if getattr(self, "swagger_fake_view", False):
            return Facility.objects.none()
        return self.business().facilities.select_related("region")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.business()
        _ensure_owner(request, business)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        facility = dossier_services.facility_add(
            actor=request.user, business=business, fields=dict(serializer.validated_data)
        )
        return Response(self.get_serializer(facility).data, status=status.HTTP_201_CREATED)
