"""The provider API under ``/api/v1``: one NinjaAPI, the apps' routers, and every error
rendered as ``application/problem+json`` (RFC 9457) so that clients parse one shape.

Problem body: ``{type, title, status, detail, errors?}``; ``errors`` maps a field name
(dotted for nested fields) to its messages, for 400 (the services' ``ValidationError``)
and 422 (a request that does not match the schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from microcred.bulk.api import bulk_jobs
from microcred.bulk.services import FileHasErrors
from microcred.credentials.api import credentials, definitions
from microcred.pathways.api import router as pathways_router
from microcred.providers.api import router as provider_router
from microcred.skills.api import router as catalog_router
from microcred.skills.suggest_api import router as skills_router
from microcred.verification.api import router as verify_router

PROBLEM = "application/problem+json"
TYPES = {
    400: "urn:microcred:problem:invalid-input",
    401: "urn:microcred:problem:unauthenticated",
    403: "urn:microcred:problem:forbidden",
    404: "urn:microcred:problem:not-found",
    413: "urn:microcred:problem:too-large",
    422: "urn:microcred:problem:invalid-request",
    429: "urn:microcred:problem:too-many-requests",
}
_LOCATIONS = ("body", "query", "path", "header", "cookie", "form", "file")

api = NinjaAPI(
    title="microcred provider API",
    version="1",
    urls_namespace="api-v1",
    description="Definitions, issuing and revocation for one provider. Errors are "
    "application/problem+json.",
)
api.add_router("/", provider_router)
api.add_router("/definitions", definitions)
api.add_router("/credentials", credentials)
api.add_router("/bulk-jobs", bulk_jobs)
api.add_router("/verify", verify_router)
api.add_router("/pathways", pathways_router)
api.add_router("/skills", skills_router)
api.add_router("/catalog", catalog_router)


def problem(
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
    **headers: str,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPES.get(status, "about:blank"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def _schema_field(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        # ("body", "payload", "x") names the handler argument; clients know only "x".
        parts = parts[2:] if parts[0] == "body" and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(
        400, "the request was understood but its values are not usable", _field_errors(exc)
    )


@api.exception_handler(FileHasErrors)
def file_has_errors(request: HttpRequest, exc: FileHasErrors) -> HttpResponse:
    rows = [
        {"line": e.line, "column": e.column, "message": e.message, "value": e.value}
        for e in exc.report.errors
    ]
    detail = "the file has row errors; nothing was stored"
    return problem(400, detail, _field_errors(exc), {"rows": rows})


@api.exception_handler(SchemaError)
def invalid_request(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_schema_field(item.get("loc", ())), []).append(str(item.get("msg", "")))
    return problem(422, "the request does not match the API schema", errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "send Authorization: Bearer <token> (unknown and revoked tokens are refused)"
    return problem(401, detail, WWW_Authenticate='Bearer realm="microcred"')


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, str(exc) or "not allowed")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, str(exc) or "not found")


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return problem(404, "not found")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, exc.message)
