"""Django admin for the platform operator: providers, staff, keys (never secrets), audit log.

Creating and editing go through ``services`` so the first key, the DID and the audit trail
are never skipped; keys and audit events are read-only here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from microcred.providers import services
from microcred.providers.countries import country_error
from microcred.providers.models import AuditEvent, Membership, Provider, ProviderKey


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class KeyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProviderKey
    fields = ("key_id", "public_key_multibase", "created_at", "retired_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProviderForm(forms.ModelForm):  # type: ignore[type-arg]
    """Field checks the admin can show next to the field; services check them again."""

    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = "__all__"

    def clean_country(self) -> str:
        code = str(self.cleaned_data.get("country", "")).strip().upper()
        message = country_error(code)
        if message:
            raise forms.ValidationError(message)
        return code


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "country", "did_method", "did", "created_at")
    list_filter = ("country", "did_method")
    search_fields = ("name", "legal_name", "slug", "did")
    inlines = (MembershipInline, KeyInline)
    form = ProviderForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The slug and DID are named in every credential issued: they never change.
        return ("slug", "did_method", "did", "created_at") if obj else ("did", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # issued credentials keep pointing at the provider and its keys

    def save_model(self, request: HttpRequest, obj: Provider, form: Any, change: bool) -> None:
        fields = {
            f: form.cleaned_data[f] for f in services.PROFILE_FIELDS if f in form.cleaned_data
        }
        if change:
            services.update_provider(actor=request.user, provider=obj, **fields)
            return
        created = services.create_provider(
            actor=request.user,
            slug=form.cleaned_data["slug"],
            did_method=form.cleaned_data["did_method"],
            **fields,
        )
        obj.pk, obj.did, obj.created_at = created.pk, created.did, created.created_at
        obj._state.adding = False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("provider", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("provider__slug", "user__username", "user__email")


@admin.register(ProviderKey)
class ProviderKeyAdmin(ReadOnlyAdmin):
    list_display = ("provider", "key_id", "public_key_multibase", "created_at", "retired_at")
    fields = ("provider", "key_id", "public_key_multibase", "created_at", "retired_at")
    search_fields = ("provider__slug", "public_key_multibase")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "provider", "actor", "subject")
    list_filter = ("action",)
    search_fields = ("provider__slug", "subject")
    fields = ("created_at", "action", "provider", "actor", "subject", "details")
