"""The provider's own pages: their providers, a new provider, the dashboard.

Thin views: parse a form, call one service or selector, render. Who may see a provider is
decided by ``services.require_role``; a page of a provider the user is no staff of is a
404, so that nobody learns which providers exist through these URLs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from microcred.credentials import selectors as credential_selectors
from microcred.providers import charts, selectors, services
from microcred.providers.forms import ProviderForm, add_service_errors
from microcred.providers.models import Membership, Provider

STAFF = tuple(Membership.Role.values)
EDITORS = (Membership.Role.OWNER, Membership.Role.ISSUER)


def staff_provider(request: HttpRequest, slug: str) -> tuple[Provider, str]:
    """The provider and the user's role there; 404 unless the user is its staff (or operator)."""
    try:
        provider = selectors.provider_by_slug(slug)
        return provider, services.require_role(request.user, provider, STAFF)
    except (Provider.DoesNotExist, PermissionDenied):
        raise Http404("no such provider") from None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def provider_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's providers, and a form to create one."""
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.create_provider(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{provider.name} was created; you are its owner.")
            return redirect("providers:dashboard", slug=provider.slug)
    providers = selectors.providers_for_user(request.user)
    return render(request, "providers/provider_list.html", {"providers": providers, "form": form})


@login_required
@require_safe
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    provider, role = staff_provider(request, slug)
    stats = credential_selectors.stats(provider)
    context: dict[str, Any] = {
        "provider": provider,
        "role": role,
        "can_issue": role in EDITORS,
        "definitions": credential_selectors.definitions_of(provider),
        "recent": credential_selectors.credentials_of(provider)[:10],
        "stats": stats,
        "chart": charts.line_chart(stats),
    }
    return render(request, "providers/dashboard.html", context)
