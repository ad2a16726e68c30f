"""applicants' addresses: the registry's pages (namespace `applicants`) and its API (`api_urlpatterns`, under
/api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from applicants.api import views as api_views
from applicants.api.regions import RegionList
from applicants.dossier import views as dossier
from applicants.importing import views as importing
from applicants.listings import api as listing_api
from applicants.listings import views as listing
from applicants.permits import api as permit_api
from applicants.permits import views as permits
from applicants.views import owner, staff

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
    path("business/<int:pk>/documents/<int:doc_pk>/replace/", owner.document_replace, name="document_replace"),
    path("business/<int:pk>/people/<str:role>/", dossier.person_edit, name="person_edit"),
    path("business/<int:pk>/facilities/new/", dossier.facility_new, name="facility_new"),
    path("business/<int:pk>/facilities/<int:facility_pk>/delete/", dossier.facility_delete, name="facility_delete"),
    path("documents/<int:doc_pk>/download/", owner.document_download, name="document_download"),
    path("registry/", staff.registry, name="registry"),
    path("registry/export.csv", staff.export_csv, name="export_csv"),
    path("registry/export.xlsx", staff.export_xlsx, name="export_xlsx"),
    path("registry/import/", importing.import_upload, name="import"),
    path("registry/import/confirm/", importing.import_confirm, name="import_confirm"),
    path("registry/import/jobs/<int:pk>/", importing.import_job, name="import_job"),
    path("registry/import/template.csv", importing.import_template, name="import_template"),
]


# Under /api/v1/ (halalmsi/urls.py), without the namespace.
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("regions/", RegionList.as_view(), name="api-regions"),
    path("businesses/", api_views.BusinessListCreate.as_view(), name="api-businesses"),
    path("businesses/<int:pk>/", api_views.BusinessDetail.as_view(), name="api-business"),
    path("businesses/<int:business_pk>/figures/", api_views.FiguresListCreate.as_view(), name="api-business-figures"),
    path(
        "businesses/<int:business_pk>/figures/<int:year>/",
        api_views.FiguresDetail.as_view(),
        name="api-business-figures-year",
    ),
    path("businesses/<int:business_pk>/products/", api_views.ProductListCreate.as_view(), name="api-business-products"),
    path(
        "businesses/<int:business_pk>/products/<int:pk>/",
        api_views.ProductDetail.as_view(),
        name="api-business-product",
    ),
    path(
        "businesses/<int:business_pk>/products/<int:product_pk>/permits/",
        permit_api.PermitListCreate.as_view(),
        name="api-product-permits",
    ),
    path(
        "businesses/<int:business_pk>/products/<int:product_pk>/permits/<int:pk>/",
        permit_api.PermitDetail.as_view(),
        name="api-product-permit",
    ),
    path(
        "businesses/<int:business_pk>/products/<int:product_pk>/listing/",
        listing_api.ListingDetail.as_view(),
        name="api-product-listing",
    ),
    path(
        "businesses/<int:business_pk>/documents/", api_views.DocumentListCreate.as_view(), name="api-business-documents"
    ),
    path(
        "businesses/<int:business_pk>/documents/<int:pk>/",
        api_views.DocumentDetail.as_view(),
        name="api-business-document",
    ),
    path(
        "businesses/<int:business_pk>/documents/<int:pk>/replace/",
        api_views.DocumentReplace.as_view(),
        name="api-business-document-replace",
    ),
    path("positive-list/", api_views.PositiveListSearch.as_view(), name="api-positive-list"),
    path("businesses/<int:business_pk>/people/", api_views.PersonListSave.as_view(), name="api-business-people"),
    path(
        "businesses/<int:business_pk>/facilities/",
        api_views.FacilityListCreate.as_view(),
        name="api-business-facilities",
    ),
]
