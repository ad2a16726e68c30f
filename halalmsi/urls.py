"""The root URLconf: the project's pages and APIs. Each app's own urls module lists its pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import notification_views, views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("calendar/", views.office_calendar, name="calendar"),
    path("calendar/<int:year>/", views.office_calendar, name="calendar-year"),
    path("staff/failed-tasks/", views.failed_tasks, name="failed-tasks"),
    path("staff/deliveries/", notification_views.delivery_log, name="delivery-log"),
    path("notifications/", notification_views.inbox, name="inbox"),
    path("notifications/read/", notification_views.inbox_read, name="inbox-read"),
    path("notifications/settings/", notification_views.notification_settings, name="notifications-settings"),
    path("notifications/whatsapp/", notification_views.whatsapp_verify, name="notifications-whatsapp"),
    path("notifications/whatsapp/webhook/", notification_views.whatsapp_webhook, name="whatsapp-webhook"),
    path("notifications/unsubscribe/<str:token>/", notification_views.unsubscribe, name="notifications-unsubscribe"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("halalmsi.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("fees.urls")),
    path("", include("applicants.urls")),
    path("", include("training.urls")),
    path("", include("certification.urls")),
    path("", include("reports.urls")),
]

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
handler400 = "core.views.bad_request"
handler404 = "core.views.not_found"
