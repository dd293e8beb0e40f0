"""Bulk issuing: validate a CSV file, store it as a job, issue its rows (resumably).

- :func:`dry_run` parses and checks a file and writes nothing.
- :func:`create_job` refuses a file with any error (nothing is half-issued) and stores
  one :class:`~microcred.bulk.models.BulkRow` per data row.
- Both read the file lazily and work ``_BATCH`` rows at a time, so their memory stays
  flat in the number of rows (beyond the file's bytes).
- :func:`start_job` marks the job queued and enqueues
  :func:`microcred.bulk.tasks.run_bulk_job`; :func:`run_job` is what it (or the CLI,
  in-process) runs.

Why re-running never duplicates: every row carries an idempotency key, and
``issue_batch`` returns the credential already stored under a key instead of issuing
again. ``run_job`` works through the pending rows in chunks, each issued by one
``issue_batch`` call (one status allocation, one signer, one transaction storing the
chunk's credentials and audit events). A chunk's rows are marked ``attempted`` before any
of them is issued, so when a run is killed between storing the chunk and settling its
rows, the next run finds the keys and marks the rows ``issued`` (its own work), while a
key that existed before the row was ever attempted means ``skipped`` (an earlier job or
single issue did it). A chunk is settled by one conditional UPDATE per outcome, and the
job's counts grow by what those UPDATEs changed (one full recount at start and finish).

Only owners and issuers of the definition's provider may do any of this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, OuterRef, Subquery, TextField, Value, When
from django.utils import timezone

from microcred.bulk import csvfile
from microcred.bulk.csvfile import RowError
from microcred.bulk.models import BulkJob, BulkRow
from microcred.credentials import achievements
from microcred.credentials.issuing import ISSUERS, issue_batch
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.providers.services import User, record_event, require_role

CHUNK = 100
_BATCH = 500  # rows per INSERT and keys per IN (...) lookup
Progress = Callable[[BulkJob], None]


@dataclass(frozen=True)
class DryRunReport:
    """What issuing the file would do; ``ok`` when it can be issued as it is."""

    filename: str
    rows: int  # data rows without errors
    errors: list[RowError]
    truncated: bool  # more errors than were listed
    already_issued: int  # rows whose idempotency key was issued before: they will be skipped

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def would_issue(self) -> int:
        return self.rows - self.already_issued if self.ok else 0

    def error_csv(self) -> str:
        """The downloadable error report (cells safe against formula injection)."""
        return csvfile.error_report(self.errors)


class FileHasErrors(ValidationError):
    """The file has row errors: nothing was stored; ``report`` lists them."""

    def __init__(self, report: DryRunReport) -> None:
        count = f"{len(report.errors)}{'+' if report.truncated else ''}"
        errors = "error" if count == "1" else "errors"
        message = f"{report.filename}: {count} {errors}; nothing was issued"
        super().__init__({"csv": [message]})
        self.report = report


def key_scope(definition: MicroCredentialDefinition) -> str:
    """What default idempotency keys are bound to: one version of one definition."""
    return f"{definition.provider.slug}/{definition.slug}/v{definition.version}"


def _check(actor: User, definition: MicroCredentialDefinition) -> None:
    require_role(actor, definition.provider, ISSUERS)
    if definition.status != MicroCredentialDefinition.Status.PUBLISHED:
        message = f"v{definition.version} is {definition.status}, not published"
        raise ValidationError({"definition": message})


def _batches(rows: Iterable[csvfile.Row], size: int) -> Iterator[list[csvfile.Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _Check:
    """One pass over a file: :meth:`batches` yields its usable rows ``_BATCH`` at a time
    (nothing else is kept, so memory stays flat in the rows), then :meth:`report` says
    what the pass found."""

    def __init__(self, definition: MicroCredentialDefinition, csv_bytes: bytes, name: str):
        self.definition, self.csv_bytes, self.filename = definition, csv_bytes, name
        self.problems = csvfile.Problems()
        self.reused: list[RowError] = []
        self.rows = self.already_issued = 0

    @property
    def ok(self) -> bool:
        return self.problems.ok and not self.reused

    def batches(self) -> Iterator[list[csvfile.Row]]:
        scope = key_scope(self.definition)
        rows = csvfile.read(self.csv_bytes, scope=scope, problems=self.problems)
        for batch in _batches(rows, _BATCH):
            issued = self._issued([row.idempotency_key for row in batch])
            usable = []
            for row in batch:
                owner = issued.get(row.idempotency_key)
                if owner is None or owner == self.definition.pk:
                    usable.append(row)
                    self.already_issued += owner is not None
                elif len(self.reused) <= csvfile.MAX_ERRORS:
                    message = "already used for another micro-credential"
                    self.reused.append(RowError(row.line, "idempotency_key", message))
            self.rows += len(usable)
            yield usable

    def _issued(self, keys: list[str]) -> dict[str, int]:
        """key -> definition id of the provider's credentials issued under one of ``keys``."""
        query = IssuedCredential.objects.filter(
            provider_id=self.definition.provider_id, idempotency_key__in=keys
        )
        return {str(key): pk for key, pk in query.values_list("idempotency_key", "definition_id")}

    def report(self) -> DryRunReport:
        errors = sorted(self.problems.errors + self.reused, key=lambda error: error.line or 0)
        truncated = self.problems.truncated or len(errors) > csvfile.MAX_ERRORS
        return DryRunReport(
            self.filename, self.rows, errors[: csvfile.MAX_ERRORS], truncated, self.already_issued
        )


def dry_run(
    *, actor: User, definition: MicroCredentialDefinition, csv_bytes: bytes, filename: str
) -> DryRunReport:
    """Check a file as :func:`create_job` would, writing nothing."""
    _check(actor, definition)
    check = _Check(definition, csv_bytes, filename)
    for _ in check.batches():
        pass
    return check.report()


@transaction.atomic
def create_job(
    *, actor: User, definition: MicroCredentialDefinition, csv_bytes: bytes, filename: str
) -> BulkJob:
    """A validated job with one pending row per data row; raises :class:`FileHasErrors`.

    One pass: rows are stored batch by batch while the file is checked, and an error
    anywhere rolls the whole transaction back, so a refused file leaves nothing behind.
    """
    _check(actor, definition)
    job = BulkJob.objects.create(
        provider=definition.provider,
        definition=definition,
        created_by_id=cast(int, actor.pk),  # require_role refused anonymous users
        filename=filename[:255],
    )
    check = _Check(definition, csv_bytes, filename)
    for batch in check.batches():
        if check.ok:  # after the first error only the checking goes on
            BulkRow.objects.bulk_create(
                BulkRow(job=job, line=row.line, data=row.data, idempotency_key=row.idempotency_key)
                for row in batch
            )
    report = check.report()
    if not report.ok:
        raise FileHasErrors(report)
    if not report.rows:
        raise ValidationError({"csv": f"{filename}: no data rows"})
    job.total = report.rows
    job.save(update_fields=["total"])
    details = {"filename": job.filename, "rows": job.total, "definition": definition.pk}
    record_event(
        action="bulk.created",
        actor=actor,
        provider=job.provider,
        subject=f"bulk job {job.pk}",
        details=details,
    )
    return job


def start_job(*, actor: User, job: BulkJob) -> str:
    """Queue the job for ``microcred worker``; returns the task result id.

    A job not yet started (or stopped) becomes ``queued``, so that its page shows it
    waiting for a worker; queuing a running job again is how one resumes after a worker
    was killed (the task continues with the pending rows).
    """
    require_role(actor, job.provider, ISSUERS)
    from microcred.bulk.tasks import run_bulk_job  # tasks import this module

    waiting = (BulkJob.State.VALIDATED, BulkJob.State.FAILED)
    BulkJob.objects.filter(pk=job.pk, state__in=waiting).update(state=BulkJob.State.QUEUED)
    job.refresh_from_db(fields=["state"])
    return str(run_bulk_job.enqueue(job.pk).id)


def _claim(job_id: int) -> BulkJob:
    with transaction.atomic():
        query = BulkJob.objects.select_for_update(of=("self",))
        job = query.select_related("provider", "definition__provider", "created_by").get(pk=job_id)
        if job.state != BulkJob.State.DONE:
            job.state, job.error = BulkJob.State.RUNNING, ""
            job.started_at = job.started_at or timezone.now()
            job.save(update_fields=["state", "error", "started_at"])
    return job


def _count(job: BulkJob) -> None:
    counts = dict(
        BulkRow.objects.filter(job=job).values_list("state").annotate(n=Count("id")).order_by()
    )
    job.issued = counts.get(BulkRow.State.ISSUED, 0)
    job.skipped = counts.get(BulkRow.State.SKIPPED, 0)
    job.failed = counts.get(BulkRow.State.FAILED, 0)
    job.save(update_fields=["issued", "skipped", "failed"])


def _finish(job: BulkJob, state: str, error: str = "") -> BulkJob:
    _count(job)
    job.state, job.error, job.finished_at = state, error, timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    counts = {"issued": job.issued, "skipped": job.skipped, "failed": job.failed}
    record_event(
        action="bulk.finished" if state == BulkJob.State.DONE else "bulk.failed",
        actor=job.created_by,
        provider=job.provider,
        subject=f"bulk job {job.pk}",
        details={**counts, "error": error} if error else counts,
    )
    return job


def _settle(job: BulkJob, rows: list[BulkRow], state: str, errors: list[str] | None = None) -> int:
    """Settle ``rows`` in one UPDATE; returns how many were still pending (now settled).

    Conditional: a row another runner settled meanwhile keeps what it has. An issued or
    skipped row points at the credential stored under its idempotency key.
    """
    if not rows:
        return 0
    changes: dict[str, Any] = {"state": state}
    if errors is None:
        stored = IssuedCredential.objects.filter(
            provider_id=job.provider_id, idempotency_key=OuterRef("idempotency_key")
        )
        changes["credential_id"] = Subquery(stored.values("id")[:1])
    else:
        texts = [
            When(pk=row.pk, then=Value(error[:2000]))
            for row, error in zip(rows, errors, strict=True)
        ]
        changes["error"] = Case(*texts, default=Value(""), output_field=TextField())
    pending = BulkRow.objects.filter(pk__in=[row.pk for row in rows], state=BulkRow.State.PENDING)
    return pending.update(**changes)


def error_text(error: ValidationError) -> str:
    """A ValidationError as one line (``field: message; ...``)."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
    return " ".join(error.messages)


def _result_description(definition: MicroCredentialDefinition) -> str | None:
    """The id a row's ``result`` points at: the definition's only ResultDescription, if one."""
    described = achievements.achievement(definition).result_description
    items = described if isinstance(described, list) else [described] if described else []
    return str(items[0].id) if len(items) == 1 else None


def _arguments(data: dict[str, Any], description: str | None) -> dict[str, Any]:
    result = None
    if data.get("result"):
        result = {"value": data["result"]}
        if description:
            result["resultDescription"] = description
    return dict(
        recipient_email=data.get("email"),
        recipient_did=data.get("did"),
        narrative=data.get("narrative"),
        evidence_url=data.get("evidence_url"),
        valid_until=data.get("valid_until"),
        result=result,
    )


def _process(job: BulkJob, rows: list[BulkRow], description: str | None) -> None:
    """Issue one chunk through ``issue_batch`` and settle it (three UPDATEs at most)."""
    keys = [row.idempotency_key for row in rows]
    found = set(
        IssuedCredential.objects.filter(
            provider_id=job.provider_id, definition_id=job.definition_id, idempotency_key__in=keys
        ).values_list("idempotency_key", flat=True)
    )
    done = [row for row in rows if row.idempotency_key in found]
    todo = [row for row in rows if row.idempotency_key not in found]
    # Marked before issuing: after a crash, a stored key of an attempted row is our own work.
    BulkRow.objects.filter(pk__in=[row.pk for row in todo]).update(attempted=True)
    arguments = [
        {**_arguments(row.data, description), "idempotency_key": row.idempotency_key}
        for row in todo
    ]
    outcomes = issue_batch(actor=job.created_by, definition=job.definition, rows=arguments)
    failed = [(r, o) for r, o in zip(todo, outcomes, strict=True) if isinstance(o, Exception)]
    for _, outcome in failed:
        if not isinstance(outcome, ValidationError):
            raise outcome
    issued = [row for row in done if row.attempted]
    issued += [row for row, outcome in zip(todo, outcomes, strict=True) if _stored(outcome)]
    job.issued += _settle(job, issued, BulkRow.State.ISSUED)
    job.skipped += _settle(job, [row for row in done if not row.attempted], BulkRow.State.SKIPPED)
    errors = [error_text(cast(ValidationError, outcome)) for _, outcome in failed]
    job.failed += _settle(job, [row for row, _ in failed], BulkRow.State.FAILED, errors)
    job.save(update_fields=["issued", "skipped", "failed"])


def _stored(outcome: IssuedCredential | Exception) -> bool:
    return not isinstance(outcome, Exception)


def run_job(
    job_id: int, *, chunk_size: int = CHUNK, on_progress: Progress | None = None
) -> BulkJob:
    """Issue the job's pending rows; call again after a crash to continue where it stopped.

    A refused actor (no longer owner/issuer) fails the job; a row the credential service
    rejects fails that row only; any other error fails the job and is raised again, with
    the unprocessed rows still pending.
    """
    job = _claim(job_id)
    if job.state == BulkJob.State.DONE:
        return job
    try:
        require_role(job.created_by, job.provider, ISSUERS)
        description = _result_description(job.definition)
        pending = BulkRow.objects.filter(job=job, state=BulkRow.State.PENDING).order_by("line")
        _count(job)  # once; each chunk then adds what it settled
        # Keyset pagination (after the last line seen): each chunk's index scan starts where
        # the previous one ended instead of walking over every row settled so far (on
        # PostgreSQL their old "pending" index entries stay until vacuum: quadratic).
        last = 0
        while rows := list(pending.filter(line__gt=last)[:chunk_size]):
            _process(job, rows, description)
            last = rows[-1].line
            if on_progress is not None:
                on_progress(job)
    except PermissionDenied as error:
        return _finish(job, BulkJob.State.FAILED, str(error))
    except Exception as error:
        _finish(job, BulkJob.State.FAILED, f"stopped: {error}")
        raise
    return _finish(job, BulkJob.State.DONE)
