from django.urls import URLPattern, URLResolver, path

from applicants.views import dossier, listing, owner, permits, staff

app_name = "applicants"

urlpatterns: list[URLPattern | URLResolver] = [
    path("business/", owner.my_businesses, name="mine"),
    path("business/new/", owner.business_new, name="business_new"),
    path("business/<int:pk>/", owner.business_detail, name="business_detail"),
    path("business/<int:pk>/edit/", owner.business_edit, name="business_edit"),
    path("business/<int:pk>/figures/new/", owner.figures_new, name="figures_new"),
    path("business/<int:pk>/figures/<int:year>/", owner.figures_edit, name="figures_edit"),
    path("business/<int:pk>/products/new/", owner.product_new, name="product_new"),
    path("business/<int:pk>/products/<int:product_pk>/", owner.product_edit, name="product_edit"),
    path("business/<int:pk>/products/<int:product_pk>/permits/new/", permits.permit_new, name="permit_new"),
    path(
        "business/<int:pk>/products/<int:product_pk>/permits/<int:permit_pk>/",
        permits.permit_edit,
        name="permit_edit",
    ),
    path(
        "business/<int:pk>/products/<int:product_pk>/permits/<int:permit_pk>/delete/",
        permits.permit_delete,
        name="permit_delete",
    ),
    path("business/<int:pk>/products/<int:product_pk>/listing/", listing.listing_edit, name="listing_edit"),
    path("listings/<int:listing_pk>/thumb.jpg", listing.listing_photo, name="listing_photo"),
    path("permits/<int:permit_pk>/document/", permits.permit_document, name="permit_document"),
    path("business/<int:pk>/documents/new/", owner.document_new, name="document_new"),
    path("business/<int:pk>/documents/generate/<str:kind>/", owner.document_generate, name="document_generate"),
    path("business/<int:pk>/documents/<int:doc_pk>/delete/", owner.document_delete, name="document_delete"),
    path("business/<int:pk>/people/<str:role>/", dossier.person_edit, name="person_edit"),
    path("business/<int:pk>/facilities/new/", dossier.facility_new, name="facility_new"),
    path("business/<int:pk>/facilities/<int:facility_pk>/delete/", dossier.facility_delete, name="facility_delete"),
    path("documents/<int:doc_pk>/download/", owner.document_download, name="document_download"),
    path("registry/", staff.registry, name="registry"),
    path("registry/export.csv", staff.export_csv, name="export_csv"),
    path("registry/export.xlsx", staff.export_xlsx, name="export_xlsx"),
    path("registry/import/", staff.import_upload, name="import"),
    path("registry/import/confirm/", staff.import_confirm, name="import_confirm"),
    path("registry/import/jobs/<int:pk>/", staff.import_job, name="import_job"),
    path("registry/import/template.csv", staff.import_template, name="import_template"),
]
