"""``POST /api/v1/verify``: verify up to 1,000 credentials in one request, no account needed.

Public like the portal and limited the same way: a per-address budget of credentials per
minute (``throttle``), the total size and the number of items (``conf``). The body is read
here, not by Ninja, so that its size is checked before it is read (Django's 2.5 MB limit
for request bodies would refuse a large batch with a bare 400). Errors are problem+json.

JSON: ``{"credentials": [<credential object> | "<JWT>" | "<https URL>", ...],
"challenge"?: str, "domain"?: str}``. Multipart: one or more ``files`` fields.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from pydantic import ValidationError as PydanticError

from microcred.platform.ratelimit import client_ip
from microcred.verification import verifying
from microcred.verification.conf import limits
from microcred.verification.intake import IntakeError, Item, api_items, check_size, file_items
from microcred.verification.reports import as_json

router = Router(tags=["verification"])


class VerifyRequest(Schema):
    credentials: list[dict[str, Any] | str] = Field(
        ...,
        description="Credentials as JSON objects, VC-JWT strings or https URLs (up to 1,000)",
    )
    challenge: str | None = Field(None, description="Expected challenge of a presentation")
    domain: str | None = Field(None, description="Expected domain of a presentation")


class CheckPublic(Schema):
    check: str
    ok: bool
    message: str


class FactsPublic(Schema):
    credential_id: str
    issuer_id: str
    issuer_name: str
    holder: str
    achievement: str
    issued: str | None
    valid_until: str | None


class TrustPublic(Schema):
    kind: str = Field(
        ..., description="known, suspended, unknown, unconfirmed (signature does not hold) or none"
    )
    summary: str
    registry_name: str | None
    vetted_by: str | None
    vetting_method: str | None


class ResultPublic(Schema):
    input: str
    verified: bool
    verdict: str = Field(
        ...,
        description="valid, not-valid, expired, suspended, revoked, bad-signature or unusable",
    )
    verdict_label: str
    kind: str = Field(..., description="credential, presentation or ob2 (Open Badges 2.0)")
    headline: str
    facts: FactsPublic
    trust: TrustPublic
    checks: list[CheckPublic]


class VerifyResponse(Schema):
    count: int
    verified: int
    results: list[ResultPublic]


MULTIPART = {
    "type": "object",
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
    "required": ["files"],
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": VerifyRequest.model_json_schema()},
            "multipart/form-data": {"schema": MULTIPART},
        },
    }
}


def _json_body(request: HttpRequest, size: int) -> tuple[list[Item], verifying.Request]:
    raw = request.read(size + 1)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        detail = f"the body is not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise HttpError(400, detail) from None
    except UnicodeDecodeError:
        raise HttpError(400, "the body is not UTF-8 text") from None
    if not isinstance(value, dict):
        raise HttpError(400, 'the body must be a JSON object: {"credentials": [...]}')
    found = value.get("credentials")
    most = limits().max_api_items
    if isinstance(found, list) and len(found) > most:
        raise HttpError(413, f"{len(found)} credentials: at most {most} in one request")
    if isinstance(found, list):
        wrong = [n for n, item in enumerate(found) if not isinstance(item, dict | str)]
        if wrong:
            message = "expected a credential (JSON object), a JWT or a URL (string)"
            raise SchemaError([{"loc": ("credentials", n), "msg": message} for n in wrong[:20]])
    try:
        body = VerifyRequest.model_validate(value)
    except PydanticError as exc:
        raise SchemaError([dict(e) for e in exc.errors()]) from None
    return api_items(body.credentials), verifying.Request(body.challenge, body.domain)


def _multipart(request: HttpRequest) -> list[Item]:
    try:
        uploads = request.FILES.getlist("files")
    except TooManyFilesSent:
        raise HttpError(
            413, "too many files in one request: send JSON for larger batches"
        ) from None
    return file_items([(f.name or "upload", f.read()) for f in uploads])


def _items(request: HttpRequest) -> tuple[list[Item], verifying.Request]:
    settings = limits()
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    check_size(size, settings.max_bytes)
    if request.content_type == "application/json":
        return _json_body(request, size)
    if request.content_type == "multipart/form-data":
        return _multipart(request), verifying.Request()
    raise HttpError(415, "send application/json or multipart/form-data")


def _refusal(status: int, detail: str, retry_after: int | None = None) -> HttpResponse:
    from microcred.platform.api import problem  # the API's one problem renderer

    if retry_after is None:
        return problem(status, detail)
    return problem(status, detail, Retry_After=str(retry_after))


@router.post(
    "",
    response=VerifyResponse,
    summary="Verify credentials (public, rate-limited; nothing is stored)",
    openapi_extra=REQUEST_BODY,
)
def verify(request: HttpRequest) -> Any:
    try:
        items, options = _items(request)
        results = verifying.check(
            items,
            address=client_ip(request),
            max_items=limits().max_api_items,
            where="one request",
            request=options,
        )
    except IntakeError as exc:
        return _refusal(exc.status, "; ".join(exc.messages))
    except verifying.Throttled as exc:
        return _refusal(429, str(exc), exc.retry_after)
    entries = [as_json(result) for result in results]
    return {
        "count": len(entries),
        "verified": sum(e["verified"] for e in entries),
        "results": entries,
    }
