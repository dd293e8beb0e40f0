"""The issuer trust registry in the Django admin.

The admin validates each field and inline row where the operator typed it; saving then
goes through ``services`` (one transaction, one audit event), so nothing written here
skips the rules or the audit trail. Entries are suspended, never deleted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from microcred.verification import identifiers, selectors, services
from microcred.verification.models import TrustedIssuer, TrustedIssuerDid, TrustedIssuerDomain


class TrustedIssuerForm(forms.ModelForm):  # type: ignore[type-arg]
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = TrustedIssuer
        fields = services.FIELDS


def _not_elsewhere(form: forms.ModelForm, **value: str) -> None:  # type: ignore[type-arg]
    """Name the entry that already lists the value (Django would only say "already exists")."""
    other = selectors.entry_listing(**value, other_than=form.instance.issuer_id)
    if other is not None:
        raise forms.ValidationError(f"already listed under {other.name!r}")


class DidForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrustedIssuerDid
        fields = ("did",)

    def clean_did(self) -> str:
        did = str(self.cleaned_data.get("did", "")).strip()
        _not_elsewhere(self, did=did)
        return did


class DomainForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrustedIssuerDomain
        fields = ("domain",)

    def clean_domain(self) -> str:
        # "https://Example.edu/" is what people paste; the registry stores "example.edu".
        domain = identifiers.normalise_domain(str(self.cleaned_data.get("domain", "")))
        _not_elsewhere(self, domain=domain)
        return domain


class DidInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TrustedIssuerDid
    form = DidForm
    extra = 1


class DomainInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TrustedIssuerDomain
    form = DomainForm
    verbose_name, verbose_name_plural = "domain", "domains"
    extra = 1


def _short(value: str, width: int = 28) -> str:
    return value if len(value) <= width else f"{value[: width - 13]}…{value[-12:]}"


def _values(formsets: list[Any], model: type, column: str) -> list[str]:
    """The rows an inline formset keeps (blank extra rows and ticked "delete" left out)."""
    return [
        row.cleaned_data[column]
        for formset in formsets
        if formset.model is model
        for row in formset.forms
        if row.cleaned_data and not row.cleaned_data.get("DELETE")
    ]


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = TrustedIssuerForm
    inlines = (DidInline, DomainInline)
    list_display = ("name", "state", "vetting_method", "vetted_by", "vetted_on", "identifiers")
    list_filter = ("state", "vetting_method")
    search_fields = ("name", "vetted_by", "dids__did", "domains__domain")
    readonly_fields = ("state", "created_at", "updated_at")
    fields = (*services.FIELDS, "state", "created_at", "updated_at")
    actions = ("suspend_selected", "reactivate_selected")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrustedIssuer]:
        return super().get_queryset(request).prefetch_related("dids", "domains")

    @admin.display(description="DIDs and domains")
    def identifiers(self, obj: TrustedIssuer) -> str:
        names = [d.did for d in obj.dids.all()] + [d.domain for d in obj.domains.all()]
        if not names:
            return "(none: matches nothing)"
        return format_html_join(mark_safe("<br>"), "{}", ((_short(n),) for n in names))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # suspend instead: reports then say "registry entry suspended"

    def save_model(self, request: HttpRequest, obj: TrustedIssuer, form: Any, change: bool) -> None:
        """Nothing yet: ``save_related`` saves the entry and its inlines in one service call."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        fields = {field: form.cleaned_data[field] for field in services.FIELDS}
        dids = _values(formsets, TrustedIssuerDid, "did")
        domains = _values(formsets, TrustedIssuerDomain, "domain")
        if change:
            services.update_trusted_issuer(
                actor=request.user, issuer=form.instance, dids=dids, domains=domains, **fields
            )
            return
        created = services.create_trusted_issuer(
            actor=request.user, dids=dids, domains=domains, **fields
        )
        form.instance.pk, form.instance.created_at = created.pk, created.created_at
        form.instance._state.adding = False

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        # The inline formsets were not saved by the admin (the service did), so they cannot
        # describe themselves; the audit event holds the full change.
        return construct_change_message(form, [], add)

    @admin.action(description="Suspend selected issuers", permissions=("change",))
    def suspend_selected(self, request: HttpRequest, queryset: QuerySet[TrustedIssuer]) -> None:
        for issuer in queryset:
            services.suspend(actor=request.user, issuer=issuer)
        self.message_user(request, f"Suspended {len(queryset)} issuer(s).", messages.SUCCESS)

    @admin.action(description="Reactivate selected issuers", permissions=("change",))
    def reactivate_selected(self, request: HttpRequest, queryset: QuerySet[TrustedIssuer]) -> None:
        for issuer in queryset:
            services.reactivate(actor=request.user, issuer=issuer)
        self.message_user(request, f"Reactivated {len(queryset)} issuer(s).", messages.SUCCESS)
