"""`/api/v1/facilitations/`: BPOM facilitation cases, as the pages keep them (the same services).

An owner asks for help registering one of their products with BPOM (`POST`) and follows the case's progress: its
stage, the stage's due date, the MD number once registered or BPOM's reason, and the timeline. Staff of the case's
region read them too (moving a case stays on the officer's page). Someone else's case, business or product: 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from applicants.models import Business, Product
from applicants.selectors import jurisdiction_q
from core.access import roles
from core.api.permissions import HasRole
from training.facilitation import services
from training.facilitation.selectors import STAFF, facilitations_for
from training.models.facilitation import FacilitationCase, FacilitationEvent

CanRead = HasRole.of(roles.OWNER, *STAFF)


class FacilitationEventSerializer(serializers.ModelSerializer):
    to_state_label = serializers.CharField(source="get_to_state_display", read_only=True)

    class Meta:
        model = FacilitationEvent
        fields = ["from_state", "to_state", "to_state_label", "note", "created_at"]
        read_only_fields = fields


class FacilitationSerializer(serializers.ModelSerializer):
    business_name = serializers.CharField(source="business.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True, default=None)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = FacilitationCase
        fields = [
            "id",
            "business",
            "business_name",
            "product",
            "product_name",
            "note",
            "state",
            "state_label",
            "is_open",
            "stage_started_on",
            "due_on",
            "md_number",
            "reason",
            "closed_on",
            "created_at",
        ]
        read_only_fields = fields


class FacilitationDetailSerializer(FacilitationSerializer):
    events = FacilitationEventSerializer(many=True, read_only=True)

    class Meta(FacilitationSerializer.Meta):
        fields = [*FacilitationSerializer.Meta.fields, "events"]
        read_only_fields = fields


class FacilitationRequestSerializer(serializers.Serializer):
    business = serializers.IntegerField(help_text="One of your businesses (an officer: one of their region)")
    product = serializers.IntegerField(
        required=False, allow_null=True, help_text="The product to register: an MD number belongs to one product"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _businesses(user: Any) -> QuerySet[Business]:
    """The businesses this person may open a case for: an owner their own, an officer those of their region."""
    if roles.has_role(user, roles.OFFICER, roles.ADMIN):
        return Business.objects.filter(jurisdiction_q(user))
    return Business.objects.filter(owner=user)


class FacilitationListCreate(generics.ListCreateAPIView):
    permission_classes = [CanRead]
    serializer_class = FacilitationSerializer

    def get_queryset(self) -> QuerySet[FacilitationCase]:
        return facilitations_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=FacilitationRequestSerializer, responses={201: FacilitationDetailSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not roles.has_role(request.user, roles.OWNER, roles.OFFICER, roles.ADMIN):
            raise PermissionDenied
        data = FacilitationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        business = get_object_or_404(_businesses(request.user), pk=values["business"])
        product = None
        if values.get("product") is not None:
            product = get_object_or_404(Product.objects.filter(business=business), pk=values["product"])
        case = services.facilitation_open(
            actor=request.user, business=business, product=product, note=values.get("note", "")
        )
        return Response(FacilitationDetailSerializer(_detailed().get(pk=case.pk)).data, status=status.HTTP_201_CREATED)


def _detailed() -> QuerySet[FacilitationCase]:
    events = FacilitationEvent.objects.order_by("created_at", "id")
    return FacilitationCase.objects.select_related("business", "product").prefetch_related(
        Prefetch("events", queryset=events)
    )


class FacilitationDetail(generics.RetrieveAPIView):
    permission_classes = [CanRead]
    serializer_class = FacilitationDetailSerializer

    def get_queryset(self) -> QuerySet[FacilitationCase]:
        events = FacilitationEvent.objects.order_by("created_at", "id")
        return facilitations_for(self.request.user).prefetch_related(Prefetch("events", queryset=events))
