"""certification's addresses: its pages (namespace `certification`) and its API (`api_urlpatterns`, under /api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from certification import api, drafts, views
from certification.aftercare import views as aftercare_views
from certification.catalogue import api as catalogue_api
from certification.catalogue import views as catalogue_views
from certification.certificates import api as certificate_api
from certification.certificates import views as certificate_views
from certification.evidence import api as evidence_api
from certification.evidence import views as evidence_views
from certification.payments import api as payment_api
from certification.payments import views as payment_views
from certification.verification import views as verification_views

app_name = "certification"

urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/new/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.owner_application, name="owner-application"),
    path("applications/<int:pk>/contents/", views.change_contents, name="change-contents"),
    path("applications/<int:pk>/pledge/", views.sign_pledge, name="sign-pledge"),
    path("applications/<int:pk>/pathway/", views.change_pathway, name="change-pathway"),
    path("applications/<int:pk>/act/", views.act, name="act"),
    path(
        "applications/<int:pk>/appeals/<int:appeal_pk>/attachment/",
        views.appeal_attachment,
        name="appeal-attachment",
    ),
    path("applications/<int:pk>/documents/<slug:kind>.pdf", views.case_document, name="case-document"),
    path("applications/<int:pk>/payment/proof/", payment_views.proof_upload, name="payment-proof"),
    path("applications/<int:pk>/payment/proof/file/", payment_views.proof_file, name="payment-proof-file"),
    path("cases/<int:pk>/payment/bill/", payment_views.bill_record, name="payment-bill"),
    path("cases/<int:pk>/payment/confirm/", payment_views.payment_confirm, name="payment-confirm"),
    path("applications/<int:pk>/messages/", views.case_message, name="case-message"),
    path("applications/<int:pk>/messages/<int:message_pk>/file/", views.case_message_file, name="case-message-file"),
    path("certificates/confirmations/", aftercare_views.composition_checks, name="composition-checks"),
    path("certificates/confirmations/<int:pk>/", aftercare_views.composition_confirm, name="composition-confirm"),
    path("cases/", views.queue, name="queue"),
    path("cases/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/verval/", verification_views.verval, name="verval"),
    path("cases/<int:pk>/evidence/<int:number>/", evidence_views.snapshot_page, name="evidence"),
    path(
        "cases/<int:pk>/verval/photos/<int:photo_pk>/<slug:size>.jpg",
        verification_views.verval_photo,
        name="verval-photo",
    ),
    path("assist/", views.pph_cases, name="pph-cases"),
    path("staff/assistants/", views.assistants, name="assistants"),
    path("cases/<int:pk>/revoke/", certificate_views.revoke, name="revoke"),
    path("verify/", certificate_views.verify_lookup, name="verify-lookup"),
    path("verify/<str:token>/", certificate_views.verify, name="verify"),
    path("certified-products/", certificate_views.registry, name="registry"),
    path("katalog/", catalogue_views.catalogue_list, name="catalogue"),
    path("katalog/katalog.csv", catalogue_views.catalogue_csv, name="catalogue-csv"),
    path("katalog/<int:pk>/", catalogue_views.catalogue_detail, name="catalogue-detail"),
    path("katalog/<int:pk>/<slug:size>.jpg", catalogue_views.catalogue_photo, name="catalogue-photo"),
    path("katalog/<int:pk>/foto/<int:photo_pk>.jpg", catalogue_views.catalogue_more_photo, name="catalogue-more-photo"),
    path("sitemap.xml", catalogue_views.sitemap, name="sitemap"),
]

# Under /api/v1/ (halalmsi/urls.py), without the namespace.
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/", api.ApplicationListCreateView.as_view(), name="api-applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api-application"),
    path(
        "applications/<int:pk>/transitions/",
        api.ApplicationTransitionView.as_view(),
        name="api-application-transitions",
    ),
    path("applications/<int:pk>/events/", api.ApplicationEventsView.as_view(), name="api-application-events"),
    path("applications/<int:pk>/pathway/", drafts.ApplicationPathwayView.as_view(), name="api-application-pathway"),
    path("applications/<int:pk>/payment/", payment_api.PaymentView.as_view(), name="api-application-payment"),
    path(
        "applications/<int:pk>/payment/proof/",
        payment_api.PaymentProofView.as_view(),
        name="api-application-payment-proof",
    ),
    path(
        "applications/<int:pk>/payment/confirm/",
        payment_api.PaymentConfirmView.as_view(),
        name="api-application-payment-confirm",
    ),
    path("applications/<int:pk>/evidence/", evidence_api.EvidenceListView.as_view(), name="api-application-evidence"),
    path(
        "applications/<int:pk>/evidence/<int:number>/",
        evidence_api.EvidenceDetailView.as_view(),
        name="api-application-snapshot",
    ),
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
