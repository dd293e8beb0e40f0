"""Sharing: the learner's own settings and links (signed in), and what visitors open
(share links, public profiles and their badge images)."""

from __future__ import annotations

from django.urls import path

from microcred.sharing import views

app_name = "sharing"
urlpatterns = [
    path("sharing", views.dashboard, name="dashboard"),
    path("sharing/visibility", views.visibility, name="visibility"),
    path("sharing/profile", views.profile_settings, name="profile-settings"),
    path("sharing/links/new", views.new_link, name="new-link"),
    path("sharing/links/<int:pk>/revoke", views.revoke, name="revoke"),
    path("share/<str:token>", views.shared, name="shared"),
    path("people/<str:handle>", views.profile, name="profile"),
    path("people/<str:handle>/<str:key>", views.public_credential, name="public-credential"),
    path("people/<str:handle>/<str:key>/badge.svg", views.badge, name="badge"),
]
