"""Fee API: a public, throttled quote and the list of active schedules (DESIGN.md, "Contract endpoints")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access.throttling import FixedWindowRateThrottle
from fees.models import ExaminationCategory, FeeSchedule
from fees.quotes import CATEGORY_ORDER, MAX_CATEGORIES, PATHWAYS, REGULAR, Quote
from fees.selectors import active_schedules, schedule_slug_exists
from fees.services import fee_quote

MAX_AMOUNT = 10**15


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 0, "maximum": 10**15})
class WholeRupiahField(serializers.Field):
    """A JSON integer from 0 to 10^15. Strings, floats (even 1.0), booleans and null are refused."""

    default_error_messages = {
        "invalid": _("Enter a whole number of rupiah (a JSON integer, not a string or a fraction)."),
        "min_value": _("Must be at least 0."),
        "max_value": _("Must be at most 1,000,000,000,000,000 (10^15)."),
    }

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        if data < 0:
            self.fail("min_value")
        if data > MAX_AMOUNT:
            self.fail("max_value")
        return data

    def to_representation(self, value: int) -> int:
        return int(value)


class ScheduleSlugField(serializers.SlugField):
    """The slug of an existing fee schedule, given as a JSON string (the slug's form is checked first)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))

    def run_validators(self, value: Any) -> None:
        super().run_validators(value)
        if not schedule_slug_exists(value):
            raise serializers.ValidationError(_("Unknown fee schedule “%(slug)s”.") % {"slug": value})


@extend_schema_field({"type": "boolean"})
class StrictBooleanField(serializers.Field):
    """A JSON true or false; strings ("true", "1"), numbers and null are refused rather than guessed."""

    default_error_messages = {"invalid": _("Must be true or false (a JSON boolean).")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data

    def to_representation(self, value: bool) -> bool:
        return bool(value)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": list(ExaminationCategory.values)},
        "maxItems": MAX_CATEGORIES,
    }
)
class CategoriesField(serializers.Field):
    """A JSON list of product category codes (ExaminationCategory), at most MAX_CATEGORIES; an unknown code is named.

    One flat list of messages (not DRF's per-index ListField errors) so the error shape stays {field: [str]}."""

    def to_internal_value(self, data: Any) -> list[str]:
        if not isinstance(data, list) or not all(isinstance(code, str) for code in data):
            raise serializers.ValidationError(_("Give the product categories as a list of category codes."))
        if len(data) > MAX_CATEGORIES:
            raise serializers.ValidationError(_("Give at most %(max)s product categories.") % {"max": MAX_CATEGORIES})
        unknown = [code for code in data if code not in CATEGORY_ORDER]
        if unknown:
            raise serializers.ValidationError(
                [_("Unknown product category “%(code)s”.") % {"code": code} for code in unknown]
            )
        return data

    def to_representation(self, value: list[str]) -> list[str]:
        return list(value)


class QuoteRequestSerializer(serializers.Serializer):
    """The quote request: the one definition of its fields, for the schema and for `parse_quote_request`."""

    annual_sales = WholeRupiahField(help_text=_("Annual sales, whole rupiah."))
    operating_expenses = WholeRupiahField(help_text=_("Annual operating expenses, whole rupiah."))
    schedule = ScheduleSlugField(required=False, max_length=60, help_text=_("Schedule slug; default: the default."))
    pathway = serializers.ChoiceField(choices=PATHWAYS, required=False, default=REGULAR)
    renewal = StrictBooleanField(
        required=False, default=False, help_text=_("The application renews a certificate (default false).")
    )
    categories = CategoriesField(
        required=False,
        default=list,
        help_text=_(
            "Product category codes; a medium or large business pays the LPH examination cap of the highest one "
            "(default: simple products)."
        ),
    )


QuoteResponse = inline_serializer(
    "FeeQuote",
    {
        "annual_sales": serializers.IntegerField(),
        "operating_expenses": serializers.IntegerField(),
        "gross_income": serializers.IntegerField(),
        "basis": serializers.ChoiceField(choices=["gross_income", "annual_sales"]),
        "basis_value": serializers.IntegerField(),
        "tier": inline_serializer("FeeQuoteTier", {"code": serializers.CharField(), "label": serializers.CharField()}),
        "fee": serializers.IntegerField(),
        "components": serializers.DictField(child=serializers.IntegerField()),
        "ratio_percent": serializers.CharField(allow_null=True),
        "affordability": serializers.ChoiceField(choices=["affordable", "burdensome", "undefined"]),
        "schedule": inline_serializer(
            "FeeQuoteSchedule", {"slug": serializers.CharField(), "version": serializers.IntegerField()}
        ),
        "pathway": serializers.ChoiceField(choices=PATHWAYS),
        "explanation": serializers.ListField(child=serializers.CharField()),
    },
)


def quote_payload(quote: Quote) -> dict[str, Any]:
    return {
        "annual_sales": quote.annual_sales,
        "operating_expenses": quote.operating_expenses,
        "gross_income": quote.gross_income,
        "basis": quote.basis,
        "basis_value": quote.basis_value,
        "tier": {"code": quote.tier_code, "label": quote.tier_label},
        "fee": quote.fee,
        "components": quote.components,
        "ratio_percent": None if quote.ratio_percent is None else str(quote.ratio_percent),
        "affordability": quote.affordability,
        "schedule": {"slug": quote.schedule_slug, "version": quote.schedule_version},
        "pathway": quote.pathway,
        "explanation": quote.explanation,
    }


# The serializer's fields, built once. Budget: fee quote >= 0.9x a bare DRF view (measured): a Serializer
# instance deep-copies its declared fields on every request, which costs more than the quote itself; validating each
# value with the same field objects (Field.run_validation, public DRF API) applies exactly the same rules.
QUOTE_FIELDS = QuoteRequestSerializer().fields


def parse_quote_request(data: Any) -> dict[str, Any]:
    """The quote request, validated by QuoteRequestSerializer's own fields."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    errors: dict[str, Any] = {}
    parsed: dict[str, Any] = {"schedule": None}
    for name, field in QUOTE_FIELDS.items():
        try:
            parsed[name] = field.run_validation(data.get(name, empty))
        except SkipField:
            continue
        except serializers.ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise serializers.ValidationError(errors)
    return parsed


class FeeQuoteView(APIView):
    """Quote the certification fee for annual figures. Anonymous, rate-limited, writes nothing."""

    # No authentication: the quote is the same for everyone, and skipping sessions keeps it fast and CSRF-free.
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [FixedWindowRateThrottle]
    throttle_scope = "fee_quote"

    @extend_schema(request=QuoteRequestSerializer, responses={200: QuoteResponse})
    def post(self, request: Request) -> Response:
        data = parse_quote_request(request.data)
        quote = fee_quote(
            annual_sales=data["annual_sales"],
            operating_expenses=data["operating_expenses"],
            schedule_slug=data["schedule"],
            pathway=data["pathway"],
            renewal=data["renewal"],
            categories=data["categories"],
        )
        return Response(quote_payload(quote))


class FeeTierSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    lower = serializers.IntegerField()
    upper = serializers.IntegerField(allow_null=True)
    fee = serializers.IntegerField()
    components = serializers.DictField(child=serializers.IntegerField())
    renewal_fee = serializers.IntegerField(allow_null=True)


class FeeScheduleSerializer(serializers.ModelSerializer):
    tiers = FeeTierSerializer(many=True, read_only=True)

    class Meta:
        model = FeeSchedule
        fields = [
            "slug",
            "name",
            "source",
            "basis",
            "version",
            "effective_from",
            "effective_to",
            "is_default",
            "notes",
            "examination_caps",
            "tiers",
        ]


class FeeScheduleListView(APIView):
    """Active fee schedules with their tiers (public)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: FeeScheduleSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(FeeScheduleSerializer(active_schedules(), many=True).data)
