"""API plumbing shared by every app (one error shape, the token endpoint, role permissions) and core's own
endpoints: the signed-in user and the public office calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core import calendar as cal
from core.errors import DomainError
from core.models import CalendarDay
from core.roles import has_role
from core.throttling import FixedWindowRateThrottle


def _first_message(errors: Any) -> str:
    """The first human message in a DRF error structure, prefixed with its field when there is one."""
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            if field in ("non_field_errors", "detail"):
                return message
            return f"{field}: {message}"
        return ""
    if isinstance(errors, list):
        return _first_message(errors[0]) if errors else ""
    return str(errors)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every 4xx answers `{"detail": str, "errors": {field: [str, ...]}}`."""
    if isinstance(exc, DomainError):
        return Response(
            {"detail": str(exc.message), "errors": {k: [str(m) for m in v] for k, v in exc.errors.items()}},
            status=exc.status_code,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = {"detail": _first_message(errors) or str(_("Invalid input.")), "errors": errors}
    else:
        data = response.data if isinstance(response.data, dict) else {}
        response.data = {"detail": str(data.get("detail", response.status_text)), "errors": {}}
    return response


class HasRole(BasePermission):
    """`permission_classes = [HasRole.of(REVIEWER, ADMIN)]`: the caller must hold one of these roles."""

    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, *roles: str) -> type[HasRole]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and has_role(request.user, *self.roles))


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class ObtainTokenView(APIView):
    """Exchange an e-mail and password for an API token (`Authorization: Token <token>`)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request,
            email=form.validated_data["email"].lower(),
            password=form.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with the e-mail address and password given.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user and the roles they hold."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user  # authenticated (IsAuthenticated): a core.User
        data = {"id": user.pk, "email": user.email, "full_name": user.full_name, "roles": sorted(user.roles)}
        return Response(MeSerializer(data).data)


# --- Office calendar (public: no personal data) -----------------------------------------------------------------
MAX_WORKING_DAYS = 400  # more than a year of working days: far beyond any legal clock, small enough to be cheap


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CalendarDay.Kind.choices)
    name = serializers.CharField()


CalendarYearResponse = inline_serializer(
    "CalendarYear", {"year": serializers.IntegerField(), "days": CalendarDaySerializer(many=True)}
)
WorkingDaysResponse = inline_serializer(
    "WorkingDays",
    {"start": serializers.DateField(), "days": serializers.IntegerField(), "due_on": serializers.DateField()},
)


class WorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        help_text=_("The day the clock starts (not counted), YYYY-MM-DD."),
        error_messages={
            "required": _("Give the start date (start=YYYY-MM-DD)."),
            "invalid": _("Enter the start date as YYYY-MM-DD, e.g. 2026-03-17."),
            "null": _("Give the start date (start=YYYY-MM-DD)."),
        },
    )
    days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        help_text=format_lazy(_("How many working days to add, from 0 to {max}."), max=MAX_WORKING_DAYS),
        # DRF fills {max_value} when it fails, in the request's language.
        error_messages={
            "required": _("Give the number of working days (days=N)."),
            "invalid": _("Enter the number of working days as a whole number (days=N)."),
            "max_string_length": _("Enter the number of working days as a whole number (days=N)."),
            "min_value": _("The number of working days must not be negative."),
            "max_value": _("At most {max_value} working days can be counted at once."),
        },
    )

    def validate_start(self, value: datetime.date) -> datetime.date:
        try:
            cal.check_year(value.year)
        except DomainError as error:
            raise serializers.ValidationError(str(error.message)) from error
        return value


class PublicCalendarView(APIView):
    """Anonymous and throttled; the session is not read (no personal data, CSRF-free)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [FixedWindowRateThrottle]
    throttle_scope = "calendar"


class CalendarYearView(PublicCalendarView):
    """The office calendar of one year: every non-working day besides weekends (national holidays, cuti bersama,
    office closures), in date order. The first request for a year seeds it from the `holidays` package."""

    validates_path = True  # a year outside the calendar's bounds answers 400 (documented by core/api_schema.py)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": cal.FIRST_YEAR, "maximum": cal.LAST_YEAR},
                OpenApiParameter.PATH,
                description=f"A year from {cal.FIRST_YEAR} to {cal.LAST_YEAR}; outside them: 400.",
            )
        ],
        responses={200: CalendarYearResponse},
    )
    def get(self, request: Request, year: int) -> Response:
        cal.check_year(year)
        days = cal.days_of(year)
        return Response(
            {"year": year, "days": [{"date": d.date.isoformat(), "kind": d.kind, "name": d.name} for d in days]}
        )


class WorkingDaysView(PublicCalendarView):
    """The due date `days` working days after `start` (the start day itself is not counted; 0 gives `start`)."""

    @extend_schema(parameters=[WorkingDaysQuerySerializer], responses={200: WorkingDaysResponse})
    def get(self, request: Request) -> Response:
        query = WorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        try:
            # Atomic: a count that runs past the calendar's last year seeds nothing on its way there.
            with transaction.atomic():
                due_on = cal.add_working_days(start, days)
        except DomainError as error:
            raise serializers.ValidationError({"days": [str(error.message)]}) from error
        return Response({"start": start.isoformat(), "days": days, "due_on": due_on.isoformat()})
