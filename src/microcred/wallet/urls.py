"""The learner's wallet pages (signed-in learners, their own credentials only)."""

from __future__ import annotations

from django.urls import path

from microcred.wallet import views

app_name = "wallet"
urlpatterns = [
    path("wallet", views.wallet, name="list"),
    path("wallet/import", views.import_credentials, name="import"),
    path("wallet/presentation", views.presentation, name="presentation"),
    path("wallet/<int:pk>", views.detail, name="detail"),
    path("wallet/<int:pk>/remove", views.remove, name="remove"),
    path("wallet/claimed/<uuid:credential_uuid>", views.claimed, name="claimed"),
]
