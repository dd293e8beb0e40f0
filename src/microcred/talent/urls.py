"""Employer pages (roles, candidates) and the learner's matching consent page."""

from __future__ import annotations

from django.urls import path

from microcred.talent import views

app_name = "talent"
urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/<slug:slug>/", views.employer_dashboard, name="employer"),
    path("employers/<slug:slug>/roles/<int:pk>/", views.role_editor, name="role"),
    path(
        "employers/<slug:slug>/roles/<int:pk>/candidates",
        views.role_candidates,
        name="candidates",
    ),
    path("me/matching", views.my_matching, name="matching"),
]
