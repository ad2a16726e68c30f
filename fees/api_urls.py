from django.urls import URLPattern, URLResolver, path

from fees.api import FeeQuoteView, FeeScheduleListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("fees/quote/", FeeQuoteView.as_view(), name="fees-quote"),
    path("fees/schedules/", FeeScheduleListView.as_view(), name="fees-schedules"),
]
