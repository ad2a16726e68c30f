from django.urls import URLPattern, URLResolver, path

from certification import catalogue_views, public_views, views

app_name = "certification"

urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/new/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.owner_application, name="owner-application"),
    path("applications/<int:pk>/contents/", views.change_contents, name="change-contents"),
    path("applications/<int:pk>/pledge/", views.sign_pledge, name="sign-pledge"),
    path("applications/<int:pk>/act/", views.act, name="act"),
    path(
        "applications/<int:pk>/appeals/<int:appeal_pk>/attachment/",
        views.appeal_attachment,
        name="appeal-attachment",
    ),
    path("applications/<int:pk>/documents/<slug:kind>.pdf", views.case_document, name="case-document"),
    path("applications/<int:pk>/messages/", views.case_message, name="case-message"),
    path("applications/<int:pk>/messages/<int:message_pk>/file/", views.case_message_file, name="case-message-file"),
    path("certificates/confirmations/", views.composition_checks, name="composition-checks"),
    path("certificates/confirmations/<int:pk>/", views.composition_confirm, name="composition-confirm"),
    path("cases/", views.queue, name="queue"),
    path("cases/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/verval/", views.verval, name="verval"),
    path("cases/<int:pk>/verval/photos/<int:photo_pk>/<slug:size>.jpg", views.verval_photo, name="verval-photo"),
    path("assist/", views.pph_cases, name="pph-cases"),
    path("staff/assistants/", views.assistants, name="assistants"),
    path("cases/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("verify/", public_views.verify_lookup, name="verify-lookup"),
    path("verify/<str:token>/", public_views.verify, name="verify"),
    path("certified-products/", public_views.registry, name="registry"),
    path("katalog/", catalogue_views.catalogue_list, name="catalogue"),
    path("katalog/katalog.csv", catalogue_views.catalogue_csv, name="catalogue-csv"),
    path("katalog/<int:pk>/", catalogue_views.catalogue_detail, name="catalogue-detail"),
    path("katalog/<int:pk>/<slug:size>.jpg", catalogue_views.catalogue_photo, name="catalogue-photo"),
    path("katalog/<int:pk>/foto/<int:photo_pk>.jpg", catalogue_views.catalogue_more_photo, name="catalogue-more-photo"),
    path("sitemap.xml", catalogue_views.sitemap, name="sitemap"),
]
