"""The public credential page and its downloads. Thin: one selector each, then render.

``/credentials/<uuid>`` is the credential's stable URL: verifiers asking for JSON (or not
saying) get the signed credential exactly as stored; browsers get the page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from microcred.core.model import facts as readable
from microcred.credentials import documents, selectors, services, views

HTML = "text/html"
JSON_TYPES = ("application/json", "application/ld+json", views.VC_MEDIA_TYPE)


def wants_page(request: HttpRequest) -> bool:
    """True when the client prefers HTML; no Accept header or ``*/*`` gets the JSON, as before."""
    if request.GET.get("format") == "json":
        return False
    return request.get_preferred_type([*JSON_TYPES, HTML]) == HTML


def page_url(credential_uuid: uuid.UUID) -> str:
    path = reverse("credentials:credential", args=[credential_uuid])
    return str(settings.MICROCRED_BASE_URL).rstrip("/") + path


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def credential(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    """Content negotiation between the signed JSON and the page (caches keep them apart)."""
    if wants_page(request):
        response = credential_page(request, credential_uuid)
    else:
        response = views.credential(request, credential_uuid)
    patch_vary_headers(response, ["Accept"])
    return response


def credential_page(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    public = selectors.public_credential(credential_uuid)
    if request.method == "GET":  # HEAD is a check, not a look (see pageviews.py)
        services.record_page_view(public.row)
    url = page_url(credential_uuid)
    context: dict[str, Any] = {
        "public": public,
        "facts": public.facts,
        "standing": public.standing,
        "report": public.report,
        "page_url": url,
        "linkedin_url": readable.linkedin_url(public.facts, url),
        "uuid": credential_uuid,
    }
    return render(request, "credentials/public_credential.html", context)


@require_safe
def credential_json(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    row = selectors.credential_by_uuid(credential_uuid)
    body = documents.payload(row.document).encode("utf-8")
    return _file(body, views.VC_MEDIA_TYPE, f"credential-{credential_uuid}.json")


@require_safe
def badge_png(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    row = selectors.credential_by_uuid(credential_uuid)
    return _file(documents.badge_png(row.document), "image/png", f"badge-{credential_uuid}.png")


@require_safe
def badge_svg(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    row = selectors.credential_by_uuid(credential_uuid)
    body = documents.badge_svg(row.document)
    return _file(body, "image/svg+xml", f"badge-{credential_uuid}.svg")


@require_safe
def certificate_pdf(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    row = selectors.credential_by_uuid(credential_uuid)
    body = documents.certificate_pdf(row.document, page_url(credential_uuid))
    return _file(body, "application/pdf", f"certificate-{credential_uuid}.pdf")
