"""Employer pages (roles, candidates) and the learner's matching consent page."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "talent"
urlpatterns: list[URLPattern] = []
