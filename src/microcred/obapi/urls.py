"""``/ims/ob/v3p0/…``: the API, registration, and the OAuth 2.0 endpoints (django-oauth-toolkit)."""

from __future__ import annotations

from django.urls import include, path
from oauth2_provider import views as oauth

from microcred.obapi import views

# Only the authorization code flow's endpoints: no DOT application management pages.
oauth_patterns = [
    path("authorize/", oauth.AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth.TokenView.as_view(), name="token"),
    path("revoke/", oauth.RevokeTokenView.as_view(), name="revoke-token"),
]

app_name = "obapi"
urlpatterns = [
    path("discovery", views.discovery_view, name="discovery"),
    path("credentials", views.credentials, name="credentials"),
    path("profile", views.profile, name="profile"),
    path("register", views.register, name="register"),
    path("oauth/", include((oauth_patterns, "oauth2_provider"))),
]
