"""The site's URLs: each app contributes its own."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("microcred.providers.urls")),
]
