from django.urls import URLPattern, URLResolver, path

from certification import api, catalogue_api, certificate_api

urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/", api.ApplicationListCreateView.as_view(), name="api-applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api-application"),
    path(
        "applications/<int:pk>/transitions/",
        api.ApplicationTransitionView.as_view(),
        name="api-application-transitions",
    ),
    path("applications/<int:pk>/events/", api.ApplicationEventsView.as_view(), name="api-application-events"),
    path("sehati-quotas/", api.SehatiQuotaListView.as_view(), name="api-sehati-quotas"),
    path(
        "businesses/<int:pk>/sehati-eligibility/",
        api.SehatiEligibilityView.as_view(),
        name="api-sehati-eligibility",
    ),
    path("public/catalogue/", catalogue_api.PublicCatalogueView.as_view(), name="api-public-catalogue"),
    path(
        "public/certificates/<str:number>/",
        certificate_api.PublicCertificateView.as_view(),
        name="api-public-certificate",
    ),
    path("certificates/<str:number>/pdf/", certificate_api.CertificatePdfView.as_view(), name="api-certificate-pdf"),
    path(
        "certificates/<str:number>/revoke/",
        certificate_api.CertificateRevokeView.as_view(),
        name="api-certificate-revoke",
    ),
]
