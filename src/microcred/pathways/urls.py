"""The learner's pathway pages and the provider's pathway editor."""

from __future__ import annotations

from django.urls import path

from microcred.pathways import views

app_name = "pathways"
urlpatterns = [
    path("pathways", views.my_pathways, name="list"),
    path("pathways/<slug:provider>/<slug:slug>", views.my_pathway, name="detail"),
    path("pathways/<slug:provider>/<slug:slug>/ctdl.json", views.ctdl, name="ctdl"),
    path("providers/<slug:slug>/pathways", views.editor, name="editor"),
    path("providers/<slug:slug>/pathways/<slug:pathway_slug>", views.editor, name="edit"),
]
