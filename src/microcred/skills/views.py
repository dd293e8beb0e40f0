"""Thin views of the catalog: the public search page, an offering's page, their CTDL, and
the provider's offering list and form. Permission decisions are the services'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from microcred.providers.forms import add_service_errors
from microcred.providers.pages import staff_provider
from microcred.providers.services import require_role
from microcred.skills import catalog, exports, selectors
from microcred.skills.forms import CatalogFilterForm, OfferingForm
from microcred.skills.models import Offering


def _offset(request: HttpRequest) -> int:
    value = request.GET.get("offset", "0")
    return int(value) if value.isdigit() else 0


@require_safe
def catalog_page(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    query = form.query(_offset(request)) if request.GET else selectors.CatalogQuery()
    page = selectors.search(query)
    params = request.GET.copy()
    params.pop("offset", None)
    context = {
        "form": form,
        "page": page,
        "params": params.urlencode(),
        "filtered": bool(request.GET),
        "schemes": selectors.schemes_shown(page.items),
    }
    return render(request, "skills/catalog.html", context, status=200 if valid else 400)


@require_safe
def offering_page(request: HttpRequest, provider: str, slug: str) -> HttpResponse:
    offering = selectors.published_offering(provider, slug)
    context = {"offering": offering, "schemes": selectors.schemes_shown([offering])}
    return render(request, "skills/offering.html", context)


def _json_ld(document: dict[str, Any]) -> HttpResponse:
    # Public like the pathway CTDL: registries harvest it from anywhere.
    response = JsonResponse(document, content_type="application/ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def catalog_ctdl(request: HttpRequest) -> HttpResponse:
    return _json_ld(exports.catalog_ctdl())


@require_safe
def offering_ctdl(request: HttpRequest, provider: str, slug: str) -> HttpResponse:
    return _json_ld(exports.offering_ctdl(selectors.published_offering(provider, slug)))


def _show_errors(form: OfferingForm, error: ValidationError) -> None:
    names = {name: name.split("[", 1)[0] for name in getattr(error, "error_dict", {})}
    add_service_errors(form, error, names)


def _save(request: HttpRequest, provider: Any, form: OfferingForm) -> Offering:
    action = request.POST.get("action", "save")
    offering = form.offering
    if offering is None:
        slug = form.cleaned_data["slug"]
        offering = catalog.create_offering(
            actor=request.user, provider=provider, slug=slug, **form.values()
        )
    elif action in ("save", "publish"):
        offering = catalog.update_offering(actor=request.user, offering=offering, **form.values())
    if action == "publish":
        offering = catalog.publish_offering(actor=request.user, offering=offering)
        messages.success(request, f"{offering.title} is in the public catalog.")
    elif action == "unpublish":
        offering = catalog.unpublish_offering(actor=request.user, offering=offering)
        messages.success(request, f"{offering.title} is no longer in the public catalog.")
    else:
        messages.success(request, f"{offering.title} is saved.")
    return offering


def _editor(request: HttpRequest, slug: str, offering_slug: str | None) -> HttpResponse:
    provider, role = staff_provider(request, slug)
    offering = selectors.offering_of(provider, offering_slug) if offering_slug else None
    form = OfferingForm(request.POST or None, provider=provider, offering=offering)
    status = 200
    if request.method == "POST":
        require_role(request.user, provider, catalog.EDITORS)
        unpublishing = request.POST.get("action") == "unpublish" and offering is not None
        if unpublishing or form.is_valid():
            try:
                saved = _save(request, provider, form)
            except ValidationError as error:
                _show_errors(form, error)
            else:
                return redirect("skills:provider-offering", provider.slug, saved.slug)
        status = 400
    context = {
        "provider": provider,
        "can_edit": role in catalog.EDITORS,
        "form": form,
        "offering": offering,
        "offerings": selectors.offerings_of(provider),
    }
    return render(request, "skills/provider_offerings.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def provider_offerings(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider's offerings and the form for a new one."""
    return _editor(request, slug, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def provider_offering(request: HttpRequest, slug: str, offering: str) -> HttpResponse:
    """One of the provider's offerings: edit, publish, unpublish."""
    return _editor(request, slug, offering)
