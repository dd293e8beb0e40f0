"""Thin views: parse, call one service or selector, render."""

from __future__ import annotations

import json

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from microcred.providers import identity, selectors
from microcred.providers.models import Provider

DID_JSON = "application/did+json"


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and the demo."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_GET
def did_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The did:web document of a provider (did:key providers have none to serve)."""
    try:
        provider = selectors.provider_by_slug(slug)
    except Provider.DoesNotExist:
        raise Http404("no such provider") from None
    if provider.did_method != identity.WEB:
        raise Http404("this provider is a did:key identity: its DID needs no document")
    body = json.dumps(selectors.did_document(provider), indent=2)
    response = HttpResponse(body, content_type=DID_JSON)
    # Public and needed by any verifier, in browsers too; short cache so rotations show soon.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
