from django.urls import URLPattern, URLResolver, path

from applicants.api import permits, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("businesses/", views.BusinessListCreate.as_view(), name="api-businesses"),
    path("businesses/<int:pk>/", views.BusinessDetail.as_view(), name="api-business"),
    path("businesses/<int:business_pk>/figures/", views.FiguresListCreate.as_view(), name="api-business-figures"),
    path(
        "businesses/<int:business_pk>/figures/<int:year>/",
        views.FiguresDetail.as_view(),
        name="api-business-figures-year",
    ),
    path("businesses/<int:business_pk>/products/", views.ProductListCreate.as_view(), name="api-business-products"),
    path(
        "businesses/<int:business_pk>/products/<int:pk>/",
        views.ProductDetail.as_view(),
        name="api-business-product",
    ),
    path(
        "businesses/<int:business_pk>/products/<int:product_pk>/permits/",
        permits.PermitListCreate.as_view(),
        name="api-product-permits",
    ),
    path(
        "businesses/<int:business_pk>/products/<int:product_pk>/permits/<int:pk>/",
        permits.PermitDetail.as_view(),
        name="api-product-permit",
    ),
    path("businesses/<int:business_pk>/documents/", views.DocumentListCreate.as_view(), name="api-business-documents"),
    path(
        "businesses/<int:business_pk>/documents/<int:pk>/",
        views.DocumentDetail.as_view(),
        name="api-business-document",
    ),
    path("businesses/<int:business_pk>/people/", views.PersonListSave.as_view(), name="api-business-people"),
    path(
        "businesses/<int:business_pk>/facilities/", views.FacilityListCreate.as_view(), name="api-business-facilities"
    ),
]
