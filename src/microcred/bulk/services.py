"""Bulk issuing: validate a CSV file, store it as a job, issue its rows (resumably).

- :func:`dry_run` parses and checks a file and writes nothing.
- :func:`create_job` refuses a file with any error (nothing is half-issued) and stores
  one :class:`~microcred.bulk.models.BulkRow` per data row.
- Both read the file lazily and work ``_BATCH`` rows at a time, so their memory stays
  flat in the number of rows (beyond the file's bytes).
- :func:`start_job` marks the job queued and enqueues
  :func:`microcred.bulk.tasks.run_bulk_job`; :func:`run_job` is what it (or the CLI,
  in-process) runs.
- :mod:`microcred.bulk.running` runs a job: re-running never duplicates, several workers
  can share one job, and a killed run resumes where it stopped (see its docstring).

Only owners and issuers of the definition's provider may do any of this.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction

from microcred.bulk import csvfile, running
from microcred.bulk.csvfile import RowError
from microcred.bulk.models import BulkJob, BulkRow
from microcred.credentials.issuing import ISSUERS
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.providers.services import User, record_event, require_role

CHUNK = running.CHUNK
_BATCH = 500  # rows per INSERT and keys per IN (...) lookup


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
    waiting for a worker. A killed worker's task is taken over by the other workers
    (``platform.workers``); queuing a running job again is harmless too: the second task
    shares the pending rows with the first (``running.claim_rows``).
    """
    require_role(actor, job.provider, ISSUERS)
    from microcred.bulk.tasks import run_bulk_job  # tasks import this module

    waiting = (BulkJob.State.VALIDATED, BulkJob.State.FAILED)
    BulkJob.objects.filter(pk=job.pk, state__in=waiting).update(state=BulkJob.State.QUEUED)
    job.refresh_from_db(fields=["state"])
    return str(run_bulk_job.enqueue(job.pk).id)


# The runner lives in ``running``; these names are part of this module's interface.
claim_rows, release_claims, run_job = running.claim_rows, running.release_claims, running.run_job
error_text = running.error_text
