"""core's addresses: the landing and home pages, the office calendar, the inbox and notification settings, the
operations pages (`urlpatterns`, no namespace); the token, the signed-in user and the calendar API
(`api_urlpatterns`, under /api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from core import views
from core.api.root import ApiRootView
from core.api.views import MeView, ObtainTokenView, RevokeTokenView
from core.calendar import api as calendar_api
from core.calendar import views as calendar_views
from core.notifications import views as notification_views
from core.ops import views as ops_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("calendar/", calendar_views.office_calendar, name="calendar"),
    path("calendar/<int:year>/", calendar_views.office_calendar, name="calendar-year"),
    path("staff/failed-tasks/", ops_views.failed_tasks, name="failed-tasks"),
    path("staff/deliveries/", notification_views.delivery_log, name="delivery-log"),
    path("notifications/", notification_views.inbox, name="inbox"),
    path("notifications/read/", notification_views.inbox_read, name="inbox-read"),
    path("notifications/settings/", notification_views.notification_settings, name="notifications-settings"),
    path("notifications/whatsapp/", notification_views.whatsapp_verify, name="notifications-whatsapp"),
    path("notifications/whatsapp/webhook/", notification_views.whatsapp_webhook, name="whatsapp-webhook"),
    path("notifications/unsubscribe/<str:token>/", notification_views.unsubscribe, name="notifications-unsubscribe"),
]

# Under /api/v1/ (halalmsi/urls.py).
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", RevokeTokenView.as_view(), name="api-token-revoke"),
    path("auth/token/revoke-all/", RevokeTokenView.as_view(revoke_all=True), name="api-token-revoke-all"),
    path("me/", MeView.as_view(), name="api-me"),
    path("calendar/<int:year>/", calendar_api.CalendarYearView.as_view(), name="api-calendar-year"),
    path("calendar/working-days/", calendar_api.WorkingDaysView.as_view(), name="api-calendar-working-days"),
]
