"""Operator views of definitions, issued credentials and status lists (read-only: every
change goes through the services, which check roles and write the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition, StatusList


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MicroCredentialDefinition)
class DefinitionAdmin(ReadOnlyAdmin):
    list_display = ("name", "provider", "slug", "version", "status", "is_eu", "updated_at")
    list_filter = ("status", "is_eu", "provider")
    search_fields = ("name", "slug")


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(ReadOnlyAdmin):
    list_display = ("credential_id", "provider", "definition", "state", "issued_at")
    list_filter = ("state", "provider")
    search_fields = ("credential_id", "recipient_email", "recipient_did")
    exclude = ("recipient_email",)


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ("provider", "purpose", "url", "updated_at")
    exclude = ("bits", "allocated")
