"""The learner's goal page (issue 6 item 7)."""

from __future__ import annotations

from django.urls import path

from microcred.talent import goal_views

app_name = "goals"
urlpatterns = [path("me/goal", goal_views.my_goal, name="mine")]
