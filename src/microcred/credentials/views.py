"""Public JSON: credentials, achievements, status lists. Thin: one selector/service each."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from microcred.credentials import images, selectors, services

VC_MEDIA_TYPE = "application/vc+ld+json"
STATUS_MAX_AGE = 300
IMAGE_MAX_AGE = 86400


def _json(document: dict[str, Any], content_type: str, max_age: int | None = None) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch these from anywhere
    if max_age is not None:
        response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_safe
def credential(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    """The signed credential as issued (its state lives in the status lists)."""
    row = selectors.credential_by_uuid(credential_uuid)
    return _json(row.document, VC_MEDIA_TYPE)


@require_safe
def achievement(request: HttpRequest, provider: str, slug: str, version: int) -> HttpResponse:
    return _json(selectors.achievement_document(provider, slug, version), "application/json")


@require_safe
def achievement_image(request: HttpRequest, provider: str, slug: str, version: int) -> HttpResponse:
    """The achievement's image; an SVG may carry scripts, so its CSP lets nothing run or load."""
    definition = selectors.public_definition(provider, slug, version)
    if not definition.image or definition.image_type not in images.TYPES:
        raise Http404("this achievement has no image")
    response = HttpResponse(bytes(definition.image), content_type=definition.image_type)
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    if definition.image_type == images.SVG:
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_safe
def status_list(request: HttpRequest, provider: str, purpose: str) -> HttpResponse:
    """The signed status list credential (list 1); caches may keep it for five minutes."""
    document = services.signed_status_list(selectors.status_list(provider, purpose))
    return _json(document, VC_MEDIA_TYPE, STATUS_MAX_AGE)


@require_safe
def numbered_status_list(
    request: HttpRequest, provider: str, purpose: str, number: int
) -> HttpResponse:
    """List 2, 3, ... (opened when the previous one filled up); list 1 has only its
    unnumbered URL, the id inside it."""
    if number < 2:
        raise Http404("list 1 is served without a number")
    document = services.signed_status_list(selectors.status_list(provider, purpose, number))
    return _json(document, VC_MEDIA_TYPE, STATUS_MAX_AGE)
