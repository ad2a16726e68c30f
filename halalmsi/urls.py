"""The root URLconf: each app's `urls` module lists its pages (`urlpatterns`) and its API (`api_urlpatterns`, all
under /api/v1/); this module only mounts them, with allauth, the admin and the OpenAPI schema and docs."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from applicants import urls as applicants_urls
from certification import urls as certification_urls
from core import urls as core_urls
from fees import urls as fees_urls
from training import urls as training_urls

api_urlpatterns: list[URLPattern | URLResolver] = [
    *core_urls.api_urlpatterns,
    *fees_urls.api_urlpatterns,
    *applicants_urls.api_urlpatterns,
    *training_urls.api_urlpatterns,
    *certification_urls.api_urlpatterns,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(core_urls.urlpatterns)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urlpatterns)),
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
handler500 = "core.views.server_error"
