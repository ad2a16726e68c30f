"""REST API of the certification app: applications, their transitions and timeline, Sehati eligibility."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applicants.models import Business, Product
from applicants.selectors import jurisdiction_q
from certification import selectors, services
from certification.eligibility import sehati_eligibility
from certification.evidence.api import SnapshotSummarySerializer
from certification.filters import ApplicationFilterSet
from certification.models import (
    Appeal,
    Application,
    ApplicationEvent,
    ApplicationState,
    CaseDocument,
    EvidenceSnapshot,
    FatwaBody,
    VerificationItem,
)
from certification.verification import services as verification_services
from certification.workflow import clock
from certification.workflow import table as wf
from core.access import roles
from core.api.filtering import cleaned_filters
from core.api.permissions import HasRole
from core.calendar import days as cal
from core.web.pagination import BoundedCountPagination
from fees.self_declare import revenue_cap

# The same choice set as the fees API's `pathway`, so the schema has one PathwayEnum.
PATHWAY_CHOICES = [wf.REGULAR, wf.SELF_DECLARE]


class StateLabelSerializer(serializers.Serializer):
    id = serializers.CharField()
    en = serializers.CharField()


class LegalClockSerializer(serializers.Serializer):
    total = serializers.IntegerField(
        help_text="Working days the law gives: regular 21, self-declare 12, plus additions."
    )
    used = serializers.IntegerField(help_text="Working days used in legal stages (paused time excluded).")
    running = serializers.BooleanField()
    due_on = serializers.DateField(allow_null=True, help_text="The legal due date if the clock runs on from today.")


class ApplicationSerializer(serializers.ModelSerializer):
    business_name = serializers.CharField(source="business.name", read_only=True)
    region = serializers.CharField(source="business.region.code", read_only=True)
    pathway = serializers.ChoiceField(choices=PATHWAY_CHOICES, read_only=True)
    state_label = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    products = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    lph_name = serializers.SerializerMethodField()
    returned_from = serializers.ChoiceField(
        choices=ApplicationState.choices,
        allow_blank=True,
        read_only=True,
        help_text="While returned: the stage resubmission resumes (empty otherwise).",
    )
    fatwa_body = serializers.ChoiceField(
        choices=FatwaBody.choices, allow_blank=True, read_only=True, help_text="The body that decided the fatwa."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "business",
            "business_name",
            "region",
            "pathway",
            "state",
            "state_label",
            "due_on",
            "overdue",
            "stage_entered_on",
            "returned_from",
            "paused_remaining_days",
            "owner_due_on",
            "lph",
            "assigned_reviewer",
            "assigned_pph",
            "products",
            "pledge_version",
            "pledge_signed_at",
            "fee_schedule_slug",
            "fee_schedule_version",
            "fee_tier_code",
            "fee_amount",
            "fee_ratio_percent",
            "invoice_reference",
            "paid_at",
            "lph_name",
            "fatwa_number",
            "fatwa_date",
            "fatwa_body",
            "fatwa_escalated_at",
            "return_reason",
            "rejection_reason",
            "submitted_at",
            "created_at",
            "updated_at",
            "version",
            "previous_certificate",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(StateLabelSerializer)
    def get_state_label(self, obj: Application) -> dict[str, str]:
        return {"id": obj.public_state_id, "en": obj.public_state_en}

    def get_lph_name(self, obj: Application) -> str:
        return obj.lph.name if obj.lph is not None else obj.lph_name

    def get_overdue(self, obj: Application) -> bool:
        return selectors.is_overdue(obj, self.context.get("today"))

    def get_products(self, obj: Application) -> list[int]:
        return [p.pk for p in obj.products.all()]

    def get_allowed_actions(self, obj: Application) -> list[str]:
        return selectors.allowed_actions(obj, self.context["request"].user)


class VerificationLineSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="`i-<product>-<name hash>`, `s-<product>-<order>` or `p-<practice>`")
    kind = serializers.ChoiceField(choices=verification_services.LINE_KINDS)
    product = serializers.IntegerField(allow_null=True)
    product_name = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    platform_doubtful = serializers.BooleanField(help_text="An ingredient the platform found no proof for.")
    verdict = serializers.ChoiceField(
        choices=VerificationItem.Verdict.choices, allow_blank=True, help_text="Empty: not judged yet."
    )
    evidence = serializers.ChoiceField(
        choices=VerificationItem.Evidence.choices, allow_blank=True, help_text="What a 'conforms' rests on."
    )
    note = serializers.CharField(allow_blank=True)


class VerificationPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class VerificationSerializer(serializers.Serializer):
    """The assistant's verification (read-only; the assistant records it on the verval page)."""

    visit_date = serializers.DateField(allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    recommendation = serializers.CharField(allow_blank=True)
    complete = serializers.BooleanField(help_text="Every line has a verdict.")
    findings = serializers.IntegerField(help_text="Lines judged 'not_conforming' or 'doubtful'.")
    items = VerificationLineSerializer(many=True)
    photos = VerificationPhotoSerializer(many=True)
    report_url = serializers.CharField(allow_blank=True, help_text="The validation report PDF, once rendered.")


def verification_data(application: Application) -> dict[str, Any] | None:
    verification = selectors.verification_of(application)
    if verification is None:
        return None
    rows = verification_services.checklist(application, verification)
    report = selectors.case_documents_of(application).filter(kind=CaseDocument.Kind.VALIDATION_REPORT).first()
    photo_url = "certification:verval-photo"
    return {
        "visit_date": verification.visit_date,
        "latitude": verification.latitude,
        "longitude": verification.longitude,
        "recommendation": verification.recommendation,
        "complete": all(row.item is not None for row in rows),
        "findings": sum(1 for row in rows if row.item is not None and row.item.is_finding),
        "items": [
            {
                "key": row.key,
                "kind": row.kind,
                "product": row.product.id if row.product else None,
                "product_name": row.product.name if row.product else "",
                "label": row.label,
                "platform_doubtful": row.platform_doubtful,
                "verdict": row.item.verdict if row.item else "",
                "evidence": row.item.evidence if row.item else "",
                "note": row.item.note if row.item else "",
            }
            for row in rows
        ],
        "photos": [
            {
                "id": p.pk,
                "url": reverse(photo_url, args=[application.pk, p.pk, "photo"]),
                "thumbnail_url": reverse(photo_url, args=[application.pk, p.pk, "thumb"]),
                "width": p.width,
                "height": p.height,
            }
            for p in verification.photos.all()
        ],
        "report_url": reverse("certification:case-document", args=[application.pk, report.kind])
        if report is not None and report.file
        else "",
    }


class AppealSerializer(serializers.ModelSerializer):
    """An objection (keberatan) or a banding to the superior office (UU 30/2014 Ps 77-78), as filed and decided."""

    level_label = serializers.CharField(source="get_level_display", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "level",
            "level_label",
            "rejected_from",
            "reason",
            "filed_at",
            "decide_by",
            "decision",
            "decision_label",
            "decision_reason",
            "decided_at",
        ]
        read_only_fields = fields


class RemediesSerializer(serializers.Serializer):
    appeals = AppealSerializer(many=True)
    objection_window_ends = serializers.DateField(allow_null=True, help_text="Last day to file an objection.")
    banding_window_ends = serializers.DateField(
        allow_null=True, help_text="Last day to take a dismissed objection to the superior office (banding)."
    )


class ApplicationDetailSerializer(ApplicationSerializer):
    """One application, with its legal clock (the list leaves it out: it reads the office calendar per case) and
    the assistant's verification."""

    legal_clock = serializers.SerializerMethodField()
    verification = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField(
        help_text="The snapshot the case rests on (its newest submission); the full content at .../evidence/{number}/."
    )

    remedies = serializers.SerializerMethodField(
        help_text="Objections and bandings against a rejection, and until when the owner may file the next one."
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "legal_clock", "verification", "evidence", "remedies"]
        read_only_fields = fields

    @extend_schema_field(RemediesSerializer)
    def get_remedies(self, obj: Application) -> dict[str, Any]:
        objection_open = obj.state == "rejected" and not obj.appeal_filed_on
        return dict(
            RemediesSerializer(
                {
                    "appeals": selectors.appeals_of(obj),
                    "objection_window_ends": wf.appeal_window_ends(obj) if objection_open else None,
                    "banding_window_ends": wf.banding_window_ends(obj) if not obj.banding_filed_on else None,
                }
            ).data
        )

    @extend_schema_field(SnapshotSummarySerializer(allow_null=True))
    def get_evidence(self, obj: Application) -> dict[str, Any] | None:
        snapshot = (
            EvidenceSnapshot.objects.filter(pk=obj.evidence_id)
            .select_related("taken_by", "previous")
            .defer("content", "previous__content", "previous__changes")
            .first()
            if obj.evidence_id
            else None
        )
        return dict(SnapshotSummarySerializer(snapshot).data) if snapshot is not None else None

    @extend_schema_field(VerificationSerializer(allow_null=True))
    def get_verification(self, obj: Application) -> dict[str, Any] | None:
        # Through the serializer the schema names, so the answer matches it (the position as a decimal string,
        # as DRF writes every DecimalField; the raw dict gave a JSON number).
        data = verification_data(obj)
        return None if data is None else dict(VerificationSerializer(data).data)

    @extend_schema_field(LegalClockSerializer(allow_null=True))
    def get_legal_clock(self, obj: Application) -> dict[str, Any] | None:
        legal = clock.legal_clock(obj, self.context.get("today"))
        if legal is None:
            return None
        return {"total": legal.total, "used": legal.used, "running": legal.running, "due_on": legal.due_on}


class ApplicationCreateSerializer(serializers.Serializer):
    business = serializers.IntegerField()
    pathway = serializers.ChoiceField(choices=PATHWAY_CHOICES)
    products = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    documents = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    previous_certificate = serializers.IntegerField(
        required=False, allow_null=True, help_text="A renewal: id of the valid certificate it replaces."
    )
    lph = serializers.IntegerField(required=False, allow_null=True, help_text="Regular: the chosen LPH's id.")
    pph = serializers.IntegerField(
        required=False, allow_null=True, help_text="Self-declare: the chosen assistant's user id (optional)."
    )


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    expected_state = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False, help_text="The version you read; 409 when it changed.")
    reason = serializers.CharField(required=False, allow_blank=True)
    pph = serializers.IntegerField(required=False, help_text="assign_pph: the assistant's user id")
    lph = serializers.IntegerField(required=False, help_text="appoint_lph: the LPH's id (default: the owner's choice)")
    extra_days = serializers.IntegerField(required=False, help_text="extend_audit: extra working days (1-30)")
    fatwa_body = serializers.ChoiceField(
        choices=FatwaBody.choices, required=False, help_text="declare_halal: the deciding body"
    )
    visit_date = serializers.CharField(
        required=False, allow_blank=True, help_text="pph_validate: fills the verification's visit date if given"
    )
    report = serializers.CharField(
        required=False, allow_blank=True, help_text="pph_validate: fills the verification's recommendation if given"
    )
    payment_proof = serializers.FileField(required=False)
    audit_report = serializers.FileField(required=False)
    lph_name = serializers.CharField(required=False, allow_blank=True)
    fatwa_number = serializers.CharField(
        required=False, allow_blank=True, help_text="declare_halal, and reject at the fatwa stage: the decision number"
    )
    fatwa_date = serializers.CharField(required=False, allow_blank=True)
    # The default deployment (CERTIFICATE_ISSUER=bpjph) facilitates: the case's SIHALAL registration at submission,
    # and BPJPH's certificate at the issue step.
    sihalal_registration = serializers.CharField(
        required=False, allow_blank=True, help_text="submit (CERTIFICATE_ISSUER=bpjph): the SIHALAL registration number"
    )
    official_number = serializers.CharField(
        required=False, allow_blank=True, help_text="issue (CERTIFICATE_ISSUER=bpjph): BPJPH's certificate number"
    )
    official_date = serializers.CharField(
        required=False, allow_blank=True, help_text="issue (CERTIFICATE_ISSUER=bpjph): the date BPJPH issued it"
    )
    official_pdf = serializers.FileField(
        required=False, help_text="issue (CERTIFICATE_ISSUER=bpjph): the certificate PDF downloaded from SIHALAL"
    )


class EventSerializer(serializers.ModelSerializer):
    from_state = serializers.CharField(help_text="Empty for the event that created the draft.")
    to_state = serializers.CharField()
    actor_name = serializers.SerializerMethodField()
    from_label = serializers.SerializerMethodField()
    to_label = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = [
            "id",
            "action",
            "from_state",
            "from_label",
            "to_state",
            "to_label",
            "actor_name",
            "note",
            "created_at",
        ]

    def get_actor_name(self, obj: ApplicationEvent) -> str:
        if obj.actor is None:
            return "sistem"
        return obj.actor.full_name or obj.actor.email

    @extend_schema_field(StateLabelSerializer(allow_null=True))
    def get_from_label(self, obj: ApplicationEvent) -> dict[str, str] | None:
        if not obj.from_state:
            return None
        pathway = obj.application.pathway
        return {
            "id": wf.public_label(obj.from_state, "id", pathway),
            "en": wf.public_label(obj.from_state, "en", pathway),
        }

    @extend_schema_field(StateLabelSerializer)
    def get_to_label(self, obj: ApplicationEvent) -> dict[str, str]:
        pathway = obj.application.pathway
        return {"id": wf.public_label(obj.to_state, "id", pathway), "en": wf.public_label(obj.to_state, "en", pathway)}


def _scoped(request: Request) -> QuerySet[Application]:
    return selectors.applications_for(request.user).prefetch_related(
        Prefetch("products", queryset=Product.objects.only("id").order_by("id"))
    )


@extend_schema(
    parameters=[
        OpenApiParameter("state", OpenApiTypes.STR, enum=["all", *wf.STATES]),
        OpenApiParameter("pathway", OpenApiTypes.STR, enum=PATHWAY_CHOICES),
        OpenApiParameter("region", OpenApiTypes.STR, description="Region code (2 digits: a whole province)"),
        OpenApiParameter("overdue", OpenApiTypes.BOOL),
        OpenApiParameter("assigned_to_me", OpenApiTypes.BOOL),
    ]
)
class ApplicationListCreateView(generics.ListCreateAPIView):
    """Applications within your reach, earliest due date first; owners create drafts for their own businesses."""

    serializer_class = ApplicationSerializer
    filter_backends: list[Any] = []
    # A national queue is never counted: exact up to a thousand, "more" past it (core.web.pagination).
    pagination_class = BoundedCountPagination

    def get_queryset(self) -> QuerySet[Application]:
        params = cleaned_filters(ApplicationFilterSet, self.request)  # an unknown value: 400 naming it
        queryset = selectors.applications_filtered(
            _scoped(self.request),
            user=self.request.user,
            state=params.get("state", ""),
            pathway=params.get("pathway", ""),
            region=params.get("region", ""),
            overdue=bool(params.get("overdue")),
            assigned_to_me=bool(params.get("assigned_to_me")),
        )
        return selectors.queue_ordering(queryset, few=bool(params.get("assigned_to_me")))

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = ApplicationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        application = services.application_create(
            actor=request.user,
            business_id=data["business"],
            pathway=data["pathway"],
            product_ids=data["products"],
            document_ids=data["documents"],
            previous_certificate_id=data.get("previous_certificate"),
            lph_id=data.get("lph"),
            pph_id=data.get("pph"),
        )
        application = _scoped(request).get(pk=application.pk)
        data = ApplicationDetailSerializer(application, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class ApplicationDetailView(generics.RetrieveAPIView):
    serializer_class = ApplicationDetailSerializer

    def get_queryset(self) -> QuerySet[Application]:
        return _scoped(self.request)


class ApplicationTransitionView(APIView):
    """Take one workflow action. 400 with a message when it is not allowed; 409 when the case moved meanwhile."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=TransitionSerializer, responses={200: ApplicationDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        if not selectors.applications_for(request.user).filter(pk=pk).exists():
            raise Http404
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        action = data.pop("action")
        note = data.pop("note", "")
        expected_state = data.pop("expected_state", None)
        expected_version = data.pop("version", None)
        services.application_transition(
            application_id=pk,
            action=action,
            actor=request.user,
            expected_state=expected_state,
            expected_version=expected_version,
            note=note,
            **data,
        )
        application = _scoped(request).get(pk=pk)
        return Response(ApplicationDetailSerializer(application, context={"request": request}).data)


class ApplicationEventsView(generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ApplicationEvent]:
        application = generics.get_object_or_404(selectors.applications_for(self.request.user), pk=self.kwargs["pk"])
        return selectors.events_of(application)


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    result = serializers.ChoiceField(choices=["pass", "fail", "unknown"])
    reason = serializers.CharField()


class RevenueRuleSerializer(serializers.Serializer):
    decree = serializers.CharField(help_text="The decree that sets the revenue cap in force today")
    effective_from = serializers.DateField()
    effective_from_confirmed = serializers.BooleanField()
    revenue_cap_confirmed = serializers.BooleanField()


class EligibilitySerializer(serializers.Serializer):
    business = serializers.IntegerField()
    eligible = serializers.BooleanField()
    revenue_cap = serializers.IntegerField()
    revenue_rule = RevenueRuleSerializer()
    criteria = CriterionSerializer(many=True)


class SehatiEligibilityView(APIView):
    """Each Sehati self-declare criterion for a business: pass, fail or unknown, with the reason."""

    @extend_schema(responses={200: EligibilitySerializer})
    def get(self, request: Request, pk: int) -> Response:
        businesses = Business.objects.filter(jurisdiction_q(request.user))
        if not roles.is_staff_member(request.user):
            businesses = businesses.filter(owner=request.user)
        business = generics.get_object_or_404(businesses, pk=pk)
        today = cal.today()
        result = sehati_eligibility(business=business, today=today)
        cap, rule = revenue_cap(today)
        return Response(
            {
                "business": business.pk,
                "eligible": result.eligible,
                "revenue_cap": cap,
                "revenue_rule": {
                    "decree": rule.decree,
                    "effective_from": rule.effective_from,
                    "effective_from_confirmed": rule.effective_from_confirmed,
                    "revenue_cap_confirmed": rule.revenue_cap_confirmed,
                },
                "criteria": [
                    {"code": c.code, "label": c.label, "result": c.result, "reason": c.reason} for c in result.criteria
                ],
            }
        )


class SehatiPoolSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = inline_serializer(
        "SehatiPoolRegion", {"code": serializers.CharField(), "name": serializers.CharField()}, allow_null=True
    )
    places = serializers.IntegerField()
    used = serializers.IntegerField()
    cutover = serializers.DateField(
        allow_null=True,
        help_text="Regional pools: the day after which a full region "
        "falls back to the national pool. Null for the national pool.",
    )


class SehatiQuotaListView(APIView):
    """Every Sehati pool with its places and used places (staff only): the regional pools and the national pool."""

    permission_classes = [HasRole.of(*roles.STAFF_ROLES)]

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Only this year's pools")],
        responses={200: SehatiPoolSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year", "")
        if raw and (not raw.isdigit() or not 2000 <= int(raw) <= 2100):
            raise serializers.ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
        pools = selectors.sehati_pools(year=int(raw) if raw else None)
        return Response(SehatiPoolSerializer(pools, many=True).data)
