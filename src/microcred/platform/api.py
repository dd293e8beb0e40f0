"""The provider API under ``/api/v1``: one NinjaAPI, the apps' routers, and every error
rendered as ``application/problem+json`` (RFC 9457) so that clients parse one shape.

Problem body: ``{type, title, status, detail, errors?}``; ``errors`` maps a field name
(dotted for nested fields) to its messages, for 400 (the services' ``ValidationError``)
and 422 (a request that does not match the schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, NinjaAPI, Router, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from microcred.bulk import selectors as bulk_selectors
from microcred.bulk import services as bulk_services
from microcred.bulk.csvfile import MAX_BYTES
from microcred.bulk.models import BulkJob
from microcred.bulk.services import FileHasErrors
from microcred.credentials import selectors as credential_selectors
from microcred.credentials.api import credentials, definitions
from microcred.providers.api import AUTH, caller
from microcred.providers.api import router as provider_router

PROBLEM = "application/problem+json"
TYPES = {
    400: "urn:microcred:problem:invalid-input",
    401: "urn:microcred:problem:unauthenticated",
    403: "urn:microcred:problem:forbidden",
    404: "urn:microcred:problem:not-found",
    422: "urn:microcred:problem:invalid-request",
}
_LOCATIONS = ("body", "query", "path", "header", "cookie", "form", "file")

# Bulk jobs: this router belongs in microcred/bulk/api.py once that app's owner takes it.
bulk_jobs = Router(tags=["bulk jobs"], auth=AUTH)


class RowErrorPublic(Schema):
    line: int | None = Field(..., description="line in the file (1 = header); null = whole file")
    column: str
    message: str
    value: str


class DryRunPublic(Schema):
    filename: str
    ok: bool
    rows: int
    would_issue: int
    already_issued: int
    truncated: bool
    errors: list[RowErrorPublic]


class BulkJobPublic(Schema):
    id: int
    definition: str
    version: int
    filename: str
    state: str
    error: str
    total: int
    issued: int
    skipped: int
    failed: int
    pending: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_definition(job: BulkJob) -> str:
        return job.definition.slug

    @staticmethod
    def resolve_version(job: BulkJob) -> int:
        return job.definition.version


def _upload(file: UploadedFile) -> bytes:
    # One byte over the limit is enough for the parser to refuse the file by its size.
    return bytes(file.read(MAX_BYTES + 1))


def _job(request: HttpRequest, job_id: int) -> BulkJob:
    job = bulk_selectors.jobs_of(caller(request).provider).filter(pk=job_id).first()
    if job is None:
        raise Http404("no such bulk job")
    return job


@bulk_jobs.post("/dry-run", response=DryRunPublic, summary="Check a CSV file; stores nothing")
def bulk_dry_run(request: HttpRequest, definition: Form[str], file: File[UploadedFile]) -> Any:
    who = caller(request)
    who.require_write()
    found = credential_selectors.latest_definition(who.provider, definition)
    return bulk_services.dry_run(
        actor=who.user,
        definition=found,
        csv_bytes=_upload(file),
        filename=file.name or "upload.csv",
    )


@bulk_jobs.post("", response={201: BulkJobPublic}, summary="Store a checked CSV file as a job")
def bulk_create(request: HttpRequest, definition: Form[str], file: File[UploadedFile]) -> Any:
    who = caller(request)
    who.require_write()
    found = credential_selectors.latest_definition(who.provider, definition)
    job = bulk_services.create_job(
        actor=who.user,
        definition=found,
        csv_bytes=_upload(file),
        filename=file.name or "upload.csv",
    )
    return Status(201, job)


@bulk_jobs.post("/{job_id}/start", response={202: BulkJobPublic}, summary="Queue the job")
def bulk_start(request: HttpRequest, job_id: int) -> Any:
    who = caller(request)
    who.require_write()
    job = _job(request, job_id)
    bulk_services.start_job(actor=who.user, job=job)
    return Status(202, job)


@bulk_jobs.get("", response=list[BulkJobPublic], summary="The provider's bulk jobs, newest first")
def bulk_list(request: HttpRequest) -> Any:
    return bulk_selectors.jobs_of(caller(request).provider)[:100]


@bulk_jobs.get("/{job_id}", response=BulkJobPublic, summary="A job and its progress")
def bulk_get(request: HttpRequest, job_id: int) -> Any:
    return _job(request, job_id)


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
