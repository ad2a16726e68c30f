"""core's endpoints under /api/v1/ besides the token and the signed-in user: the public office calendar."""

from django.urls import URLPattern, URLResolver, path

from core.api import CalendarYearView, WorkingDaysView

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/<int:year>/", CalendarYearView.as_view(), name="api-calendar-year"),
    path("calendar/working-days/", WorkingDaysView.as_view(), name="api-calendar-working-days"),
]
