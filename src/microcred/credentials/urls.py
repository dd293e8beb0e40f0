"""Public credential URLs (they are the ids inside signed credentials: keep them stable)."""

from __future__ import annotations

from django.urls import path

from microcred.credentials import pages, public, views

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
        "achievements/<slug:provider>/<slug:slug>/v<int:version>/image",
        views.achievement_image,
        name="achievement-image",
    ),
    path(
        "status/<slug:provider>/<str:purpose>",
        views.status_list,
        name="status-list",
    ),
    path(
        "status/<slug:provider>/<str:purpose>/<int:number>",
        views.numbered_status_list,
        name="status-list-number",
    ),
    # The provider's own pages (staff only).
    path("providers/<slug:slug>/definitions/new", pages.definition_new, name="definition-new"),
    path(
        "providers/<slug:slug>/definitions/<slug:definition_slug>/edit",
        pages.definition_edit,
        name="definition-edit",
    ),
    path(
        "providers/<slug:slug>/definitions/<slug:definition_slug>/publish",
        pages.definition_publish,
        name="definition-publish",
    ),
    path(
        "providers/<slug:slug>/definitions/<slug:definition_slug>/archive",
        pages.definition_archive,
        name="definition-archive",
    ),
    path(
        "providers/<slug:slug>/definitions/<slug:definition_slug>/issue",
        pages.issue,
        name="issue",
    ),
    path(
        "providers/<slug:slug>/definitions/<slug:definition_slug>/bulk",
        pages.bulk_upload,
        name="bulk-upload",
    ),
    path("providers/<slug:slug>/bulk/<int:job_id>", pages.bulk_job, name="bulk-job"),
    path("providers/<slug:slug>/bulk/<int:job_id>/start", pages.bulk_start, name="bulk-start"),
    path(
        "providers/<slug:slug>/credentials",
        pages.credential_list,
        name="provider-credentials",
    ),
    path(
        "providers/<slug:slug>/credentials/<uuid:credential_uuid>/<str:action>",
        pages.change_state,
        name="change-state",
    ),
]
