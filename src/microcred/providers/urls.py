"""Provider URLs."""

from __future__ import annotations

from django.urls import path

from microcred.providers import pages, views

app_name = "providers"
urlpatterns = [
    path("healthz", views.health, name="health"),
    path("providers/<slug:slug>/did.json", views.did_json, name="did-json"),
    path("providers/", pages.provider_list, name="list"),
    path("providers/<slug:slug>/", pages.dashboard, name="dashboard"),
]
