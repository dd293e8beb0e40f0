"""Export, backup, restore and account deletion (the learner's own), and the platform's
DID document (public)."""

from __future__ import annotations

from django.urls import path

from microcred.portability import views

app_name = "portability"
urlpatterns = [
    path("wallet/export", views.export, name="export"),
    path("wallet/backup", views.backup, name="backup"),
    path("wallet/restore", views.restore_backup, name="restore"),
    path("account/delete", views.delete_account, name="delete-account"),
    path(".well-known/did.json", views.platform_did, name="platform-did"),
]
