"""The site's URLs: each app contributes its own."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from microcred.platform import views
from microcred.platform.api import api

# allauth's own rate limits (settings.ACCOUNT_RATE_LIMITS) answer through this.
handler429 = "microcred.platform.limits.allauth_429"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("ims/ob/v3p0/", include("microcred.obapi.urls")),
    path("", views.home, name="home"),
    path("", include("microcred.providers.urls")),
    path("", include("microcred.credentials.urls")),
    path("", include("microcred.delivery.urls")),
    path("", include("microcred.verification.urls")),
    path("", include("microcred.wallet.urls")),
    path("", include("microcred.sharing.urls")),
    path("", include("microcred.portability.urls")),
    path("", include("microcred.pathways.urls")),
    path("", include("microcred.talent.urls")),
    path("", include("microcred.skills.urls")),
    path("", include("microcred.talent.goal_urls")),
]
