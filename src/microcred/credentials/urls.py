"""Public credential URLs (they are the ids inside signed credentials: keep them stable)."""

from __future__ import annotations

from django.urls import path

from microcred.credentials import public, views

app_name = "credentials"
urlpatterns = [
    path("credentials/<uuid:credential_uuid>", public.credential, name="credential"),
    path("credentials/<uuid:credential_uuid>.json", public.credential_json, name="json"),
    path("credentials/<uuid:credential_uuid>/badge.png", public.badge_png, name="badge-png"),
    path("credentials/<uuid:credential_uuid>/badge.svg", public.badge_svg, name="badge-svg"),
    path(
        "credentials/<uuid:credential_uuid>/certificate.pdf",
        public.certificate_pdf,
        name="certificate",
    ),
    path(
        "achievements/<slug:provider>/<slug:slug>/v<int:version>",
        views.achievement,
        name="achievement",
    ),
    path(
        "status/<slug:provider>/<str:purpose>",
        views.status_list,
        name="status-list",
    ),
]
