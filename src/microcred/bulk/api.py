"""Bulk jobs under ``/api/v1/bulk-jobs`` (django-ninja; mounted by ``platform/api.py``,
which renders every error as problem+json): dry run, create, start, progress.

A file over :data:`~microcred.bulk.csvfile.MAX_BYTES` is a 413 problem naming the limit,
refused by its size before it is read; a file with row errors is a 400 problem listing
them (``FileHasErrors``); nothing is stored in either case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from microcred.bulk import csvfile, selectors, services
from microcred.bulk.models import BulkJob
from microcred.credentials import selectors as credential_selectors
from microcred.providers.api import AUTH, caller

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
    state: str = Field(..., description="validated, queued, running, done or failed")
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
    if (file.size or 0) > csvfile.MAX_BYTES:
        raise HttpError(413, csvfile.too_large(file.size or 0))
    # One byte over the limit is enough for the parser to refuse a file that lied its size.
    return bytes(file.read(csvfile.MAX_BYTES + 1))


def _job(request: HttpRequest, job_id: int) -> BulkJob:
    job = selectors.jobs_of(caller(request).provider).filter(pk=job_id).first()
    if job is None:
        raise Http404("no such bulk job")
    return job


@bulk_jobs.post("/dry-run", response=DryRunPublic, summary="Check a CSV file; stores nothing")
def bulk_dry_run(request: HttpRequest, definition: Form[str], file: File[UploadedFile]) -> Any:
    who = caller(request)
    who.require_write()
    found = credential_selectors.latest_definition(who.provider, definition)
    return services.dry_run(
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
    job = services.create_job(
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
    services.start_job(actor=who.user, job=job)
    return Status(202, job)


@bulk_jobs.get("", response=list[BulkJobPublic], summary="The provider's bulk jobs, newest first")
def bulk_list(request: HttpRequest) -> Any:
    return selectors.jobs_of(caller(request).provider)[:100]


@bulk_jobs.get("/{job_id}", response=BulkJobPublic, summary="A job and its progress")
def bulk_get(request: HttpRequest, job_id: int) -> Any:
    return _job(request, job_id)
