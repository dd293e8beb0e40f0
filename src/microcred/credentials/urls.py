"""Public credential URLs (they are the ids inside signed credentials: keep them stable)."""

from __future__ import annotations

from django.urls import path

from microcred.credentials import views

app_name = "credentials"
urlpatterns = [
    path("credentials/<uuid:credential_uuid>", views.credential, name="credential"),
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
