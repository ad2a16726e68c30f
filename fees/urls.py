"""fees' addresses: the calculator page (namespace `fees`) and the quote API (`api_urlpatterns`, under /api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from fees import views
from fees.api import FeeQuoteView, FeeScheduleListView

app_name = "fees"

urlpatterns: list[URLPattern | URLResolver] = [
    path("fees/calculator/", views.calculator, name="calculator"),
]


# Under /api/v1/ (halalmsi/urls.py), without the namespace.
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("fees/quote/", FeeQuoteView.as_view(), name="fees-quote"),
    path("fees/schedules/", FeeScheduleListView.as_view(), name="fees-schedules"),
]
