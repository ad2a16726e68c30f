"""`GET /api/v1/regions/`: the public look-up of Indonesia's provinces, regencies and cities (Kemendagri codes)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from applicants import selectors
from applicants.models import Region
from core.access.throttling import FixedWindowRateThrottle


class ProvinceRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RegionSerializer(serializers.ModelSerializer):
    province = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "province"]

    @extend_schema_field(ProvinceRefSerializer)
    def get_province(self, obj: Region) -> dict[str, str]:
        province = obj if obj.parent_id is None else obj.parent
        return {"code": province.code, "name": province.name}


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name contains (case-insensitive), e.g. bandung"),
            OpenApiParameter("province", OpenApiTypes.STR, description="2-digit province code, e.g. 32"),
            OpenApiParameter("code", OpenApiTypes.STR, description="Exact Kemendagri code, e.g. 3273"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[k.value for k in Region.Kind]),
        ]
    )
)
class RegionList(generics.ListAPIView):
    """Anonymous and throttled; the session is not read (public reference data for forms and other offices' tools)."""

    serializer_class = RegionSerializer
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [FixedWindowRateThrottle]
    throttle_scope = "regions"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Region]:
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        province, code, kind = params.get("province", ""), params.get("code", ""), params.get("kind", "")
        if province and not (len(province) == 2 and province.isdigit()):
            errors["province"] = [_("A province code has 2 digits, e.g. 32.")]
        if code and not (len(code) in (2, 4) and code.isdigit()):
            errors["code"] = [_("A region code has 2 or 4 digits, e.g. 3273.")]
        if kind and kind not in Region.Kind.values:
            errors["kind"] = [_("Kind is one of province, regency, city.")]
        if errors:
            raise ValidationError(errors)
        return selectors.regions_search(
            q=params.get("q", ""),
            province=params.get("province", ""),
            code=params.get("code", ""),
            kind=params.get("kind", ""),
        )
