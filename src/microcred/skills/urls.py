"""The public catalog, its CTDL export, and the provider's offering pages."""

from __future__ import annotations

from django.urls import path

from microcred.skills import views

app_name = "skills"
urlpatterns = [
    path("catalog/", views.catalog_page, name="catalog"),
    path("catalog/ctdl.json", views.catalog_ctdl, name="catalog-ctdl"),
    path("catalog/<slug:provider>/<slug:slug>/", views.offering_page, name="offering"),
    path(
        "catalog/<slug:provider>/<slug:slug>/ctdl.json", views.offering_ctdl, name="offering-ctdl"
    ),
    path("providers/<slug:slug>/offerings/", views.provider_offerings, name="provider-offerings"),
    path(
        "providers/<slug:slug>/offerings/<slug:offering>/",
        views.provider_offering,
        name="provider-offering",
    ),
]
