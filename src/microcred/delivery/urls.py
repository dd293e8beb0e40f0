"""Claim links (they are inside emails already sent: keep them stable) and the learner's list."""

from __future__ import annotations

from django.urls import path

from microcred.delivery import views

app_name = "delivery"
urlpatterns = [
    path("claim/<str:token>", views.claim, name="claim"),
    path("me/credentials", views.my_credentials, name="my-credentials"),
]
