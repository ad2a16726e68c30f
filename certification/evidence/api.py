"""`/api/v1/applications/{id}/evidence/`: what each submission of a case rests on, read-only.

Whoever may see the case reads its snapshots (anyone else: 404). A snapshot is never changed or deleted: PUT, PATCH,
DELETE (and POST) answer 405 with a message that says so, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request

from certification import selectors
from certification.models import Application, EvidenceSnapshot


class SnapshotSummarySerializer(serializers.ModelSerializer):
    taken_by = serializers.SerializerMethodField()
    previous_number = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(help_text="How many changes since the previous snapshot.")

    class Meta:
        model = EvidenceSnapshot
        fields = ["number", "kind", "taken_at", "taken_by", "content_hash", "previous_number", "changes"]
        read_only_fields = fields

    def get_taken_by(self, obj: EvidenceSnapshot) -> str:
        return str(obj.taken_by.full_name or obj.taken_by.email) if obj.taken_by else ""

    def get_previous_number(self, obj: EvidenceSnapshot) -> int | None:
        previous = obj.previous
        return previous.number if previous is not None and previous.application_id == obj.application_id else None

    def get_changes(self, obj: EvidenceSnapshot) -> int:
        return len(obj.changes or [])


class SnapshotSerializer(SnapshotSummarySerializer):
    content = serializers.JSONField(
        read_only=True,
        help_text="The frozen business, people, facilities, products, "
        "ingredients with their classification, steps and documents (by SHA-256).",
    )
    change_list = serializers.JSONField(source="changes", read_only=True)

    class Meta(SnapshotSummarySerializer.Meta):
        fields = [*SnapshotSummarySerializer.Meta.fields, "content", "change_list"]
        read_only_fields = fields


class _Frozen:
    """Every write answers 405 with the reason, in the user's language."""

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        raise MethodNotAllowed(
            request.method,
            detail=_(
                "The evidence of a submitted case is never changed or deleted. Change the business's data instead: "
                "it goes into the next submission."
            ),
        )


def _case(request: Request, pk: int) -> Application:
    return generics.get_object_or_404(selectors.applications_for(request.user), pk=pk)


class EvidenceListView(_Frozen, generics.ListAPIView):
    serializer_class = SnapshotSummarySerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[EvidenceSnapshot]:
        if getattr(self, "swagger_fake_view", False):
            return EvidenceSnapshot.objects.none()
        application = _case(self.request, self.kwargs["pk"])
        return (
            EvidenceSnapshot.objects.filter(application=application)
            .select_related("taken_by", "previous")
            .defer("content", "previous__content", "previous__changes")
            .order_by("number")
        )


@extend_schema(responses={200: SnapshotSerializer})
class EvidenceDetailView(_Frozen, generics.RetrieveAPIView):
    serializer_class = SnapshotSerializer

    def get_object(self) -> EvidenceSnapshot:
        application = _case(self.request, self.kwargs["pk"])
        queryset = EvidenceSnapshot.objects.filter(application=application).select_related("taken_by", "previous")
        return generics.get_object_or_404(queryset.defer("previous__content"), number=self.kwargs["number"])
