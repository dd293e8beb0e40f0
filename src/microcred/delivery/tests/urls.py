"""The URLs these tests need (home, accounts, public credential pages, delivery), so that
they do not depend on apps being built beside this one."""

from __future__ import annotations

from django.urls import include, path

from microcred.platform import views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", views.home, name="home"),
    path("", include("microcred.providers.urls")),
    path("", include("microcred.credentials.urls")),
    path("", include("microcred.delivery.urls")),
]
