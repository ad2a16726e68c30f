"""Everything under /api/v1/: the token endpoint plus each app's API urls."""

from django.urls import include, path

from core.api import MeView, ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("core.api_urls")),
    path("", include("fees.api_urls")),
    path("", include("applicants.api_urls")),
    path("", include("training.api_urls")),
    path("", include("certification.api_urls")),
]
