"""The public office calendar API: a year's days off and the working-day arithmetic (throttled)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access.throttling import FixedWindowRateThrottle
from core.calendar import days as cal
from core.errors import DomainError
from core.models import CalendarDay

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

    validates_path = True  # a year outside the calendar's bounds answers 400 (documented by core/api/schema.py)

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
