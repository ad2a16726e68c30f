"""Trainings API: programs with coverage, nested enrollments and follow-ups, scoped by role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from applicants.models import Region
from applicants.selectors import businesses_for
from core.api.permissions import HasRole
from training import selectors, services
from training.models import PROGRAM_FIELDS, Enrollment, FollowUp, Program


class ProgramSerializer(serializers.ModelSerializer):
    responsible_officer = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    responsible_officer_name = serializers.CharField(source="responsible_officer.__str__", read_only=True)
    # The organising office's region; left out, the creator's own region when they work for exactly one.
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None)
    enrolled_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)
    covered_count = serializers.IntegerField(read_only=True)
    coverage_percent = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = [
            "id",
            *PROGRAM_FIELDS,
            "responsible_officer_name",
            "region_name",
            "follow_up_due_on",
            "enrolled_count",
            "attended_count",
            "covered_count",
            "coverage_percent",
        ]
        read_only_fields = ["follow_up_due_on"]

    def get_coverage_percent(self, program: Program) -> str | None:
        value = selectors.coverage_percent(program)
        return None if value is None else str(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Model-level constraint checks are the service's job (clear messages, nothing written).
        return attrs


class FollowUpSerializer(serializers.ModelSerializer):
    enrollment = serializers.PrimaryKeyRelatedField(read_only=True)
    business = serializers.IntegerField(source="enrollment.business_id", read_only=True)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "enrollment",
            "business",
            "kind",
            "planned_on",
            "done_on",
            "outcome",
            "responsible_officer",
            "has_evidence",
        ]

    def get_has_evidence(self, follow_up: FollowUp) -> bool:
        return bool(follow_up.evidence)


class EnrollmentSerializer(serializers.ModelSerializer):
    business_name = serializers.CharField(source="business.name", read_only=True)
    business_nib = serializers.CharField(source="business.nib", read_only=True)
    has_done_follow_up = serializers.BooleanField(read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "business", "business_name", "business_nib", "attended", "has_done_follow_up", "follow_ups"]


class EnrollRequestSerializer(serializers.Serializer):
    business_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class FollowUpCreateSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices)
    planned_on = serializers.DateField()
    done_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    responsible_officer = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())


class _ReadOrManage(HasRole):
    """Read: any signed-in user (the selectors scope what they see; out of reach is 404); write: officers, admins."""

    roles = selectors.MANAGERS

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class ProgramListCreate(generics.ListCreateAPIView):
    serializer_class = ProgramSerializer
    permission_classes = [_ReadOrManage]

    def get_queryset(self) -> QuerySet[Program]:
        return selectors.program_list(user=self.request.user)

    def perform_create(self, serializer: ProgramSerializer) -> None:
        program = services.program_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.with_coverage(Program.objects.select_related("responsible_officer")).get(
            pk=program.pk
        )


class ProgramDetail(generics.RetrieveAPIView):
    serializer_class = ProgramSerializer
    permission_classes = [_ReadOrManage]

    def get_queryset(self) -> QuerySet[Program]:
        return selectors.with_coverage(selectors.programs_for(self.request.user))


class _Nested(generics.ListAPIView):
    permission_classes = [_ReadOrManage]

    def program(self) -> Program:
        if not hasattr(self, "_program"):
            self._program = get_object_or_404(selectors.programs_for(self.request.user), pk=self.kwargs["pk"])
        return self._program


class EnrollmentList(_Nested):
    serializer_class = EnrollmentSerializer

    def get_queryset(self) -> QuerySet[Enrollment]:
        if getattr(self, "swagger_fake_view", False):
            return Enrollment.objects.none()
        return selectors.enrollments_for(self.request.user, program=self.program())

    @extend_schema(request=EnrollRequestSerializer, responses={201: EnrollmentSerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        program = self.program()  # someone else's programme: 404 before anything is read from the body
        form = EnrollRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ids = form.validated_data["business_ids"]
        businesses = list(businesses_for(request.user).filter(pk__in=ids))
        if len(businesses) != len(set(ids)):
            raise serializers.ValidationError({"business_ids": ["Unknown business id."]})
        created = services.enrollment_add(program=program, businesses=businesses, actor=request.user)
        rows = self.get_queryset().filter(pk__in=[enrollment.pk for enrollment in created])
        return Response(EnrollmentSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class FollowUpList(_Nested):
    serializer_class = FollowUpSerializer

    def get_queryset(self) -> QuerySet[FollowUp]:
        if getattr(self, "swagger_fake_view", False):
            return FollowUp.objects.none()
        return selectors.follow_ups_for(self.request.user).filter(enrollment__program=self.program())

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def post(self, request: Request, pk: int) -> Response:
        program = self.program()  # someone else's programme: 404 before anything is read from the body
        form = FollowUpCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        enrollment = get_object_or_404(
            selectors.enrollments_for(request.user, program=program), pk=data.pop("enrollment")
        )
        follow_up = services.followup_create(enrollment=enrollment, actor=request.user, **data)
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)
