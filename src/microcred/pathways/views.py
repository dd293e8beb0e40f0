"""Thin views of pathways: the learner's progress pages and the provider's editor.

Learners see every published pathway with their progress, and one pathway as a tree.
Provider staff see their pathways; owners and issuers write one as YAML or JSON, check it,
save it as a draft and publish it. Permission decisions are the services'.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from microcred.pathways import display, selectors, services
from microcred.pathways.models import PathwayDefinition
from microcred.providers.models import Provider
from microcred.providers.pages import staff_provider
from microcred.providers.services import require_role

ACTIONS = ("validate", "save", "publish")


class PathwayForm(forms.Form):
    source = forms.CharField(
        label="The pathway (YAML or JSON)",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "mono"}),
        max_length=services.MAX_SOURCE,
    )
    slug = forms.SlugField(
        label="Slug (optional: taken from the pathway's id)", required=False, max_length=64
    )


@require_safe
def ctdl(request: HttpRequest, provider: str, slug: str) -> HttpResponse:
    """A published pathway in CTDL JSON-LD, public like a credential: registries harvest it."""
    document = selectors.ctdl_of(selectors.published_pathway(provider, slug))
    response = JsonResponse(document, content_type="application/ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@require_safe
def my_pathways(request: HttpRequest) -> HttpResponse:
    items = selectors.pathways_of_learner(request.user)
    return render(request, "pathways/list.html", {"items": items})


@login_required
@require_safe
def my_pathway(request: HttpRequest, provider: str, slug: str) -> HttpResponse:
    row = selectors.published_pathway(provider, slug)
    page = display.pathway_page(request.user, row)
    return render(request, "pathways/detail.html", {"page": page})


def _act(request: HttpRequest, provider: Provider, form: PathwayForm) -> PathwayDefinition | None:
    """Run the chosen action; None when the form stays on the page (checked, or errors)."""
    action = request.POST.get("action", "save")
    source, slug = form.cleaned_data["source"], form.cleaned_data["slug"] or None
    if action == "validate":
        services.check_source(source)
        messages.success(request, "The pathway is valid.")
        return None
    row = services.save_pathway(actor=request.user, provider=provider, source=source, slug=slug)
    if action == "publish":
        row = services.publish_pathway(actor=request.user, pathway=row)
        messages.success(request, f"{row.name} v{row.version} is published.")
    else:
        messages.success(request, f"{row.name} v{row.version} is saved as a draft.")
    return row


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editor(request: HttpRequest, slug: str, pathway_slug: str | None = None) -> HttpResponse:
    provider, role = staff_provider(request, slug)
    current = selectors.latest_pathway(provider, pathway_slug) if pathway_slug else None
    initial = {"source": current.source, "slug": current.slug} if current else {}
    form = PathwayForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        require_role(request.user, provider, services.EDITORS)
        try:
            row = _act(request, provider, form) if form.is_valid() else None
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                form.add_error(field if field in form.fields else None, texts)
            row = None
        if row is not None:
            return redirect(reverse("pathways:edit", args=[provider.slug, row.slug]))
        status = 400 if form.errors else 200
    context = {
        "provider": provider,
        "can_edit": role in services.EDITORS,
        "form": form,
        "current": current,
        "pathways": selectors.pathways_of(provider).select_related("award_definition"),
    }
    return render(request, "pathways/editor.html", context, status=status)
