"""Running a bulk job: claiming rows, issuing them chunk by chunk, settling, closing.

Why re-running never duplicates: every row carries an idempotency key (unique per provider
in the database), and ``issue_batch`` returns the credential already stored under a key
instead of issuing again. ``run_job`` claims pending rows in chunks (:func:`claim_rows`),
each issued by one ``issue_batch`` call (one status allocation, one signer, one transaction
storing the chunk's credentials and audit events). A chunk's rows are marked ``attempted``
before any of them is issued, so when a run is killed between storing the chunk and
settling its rows, the next run finds the keys and marks the rows ``issued`` (its own
work), while a key that existed before the row was ever attempted means ``skipped`` (an
earlier job or single issue did it). A chunk is settled in one transaction that locks the
job row: one conditional UPDATE per outcome, and the job's counts grow by what those
UPDATEs changed (one full recount at start and finish), so several runners of one job keep
exact counts. See docs/bulk-issuing.md ("Several workers, crashes").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, TextField, Value, When
from django.utils import timezone

from microcred.bulk.models import BulkJob, BulkRow
from microcred.credentials import achievements
from microcred.credentials.issuing import ISSUERS, issue_batch
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.platform import workers
from microcred.platform.faults import pause_point
from microcred.providers.services import record_event, require_role

CHUNK = 100
# How long a claimed row stays another worker's: a chunk takes well under a second, so this
# only matters for a worker that hangs without dying (a dead one's rows are freed at once).
LEASE_SECONDS = 600
Progress = Callable[[BulkJob], None]


def _claim(job_id: int) -> BulkJob:
    with transaction.atomic():
        query = BulkJob.objects.select_for_update(of=("self",))
        job = query.select_related("provider", "definition__provider", "created_by").get(pk=job_id)
        if job.state != BulkJob.State.DONE:
            job.state, job.error = BulkJob.State.RUNNING, ""
            job.started_at = job.started_at or timezone.now()
            job.save(update_fields=["state", "error", "started_at"])
    return job


def _lock(job: BulkJob) -> None:
    """Lock the job row for the caller's transaction (its counts change under the lock)."""
    BulkJob.objects.select_for_update().filter(pk=job.pk).values_list("pk").get()


def _count(job: BulkJob) -> None:
    with transaction.atomic():
        _lock(job)
        query = BulkRow.objects.filter(job=job).values_list("state").annotate(n=Count("id"))
        counts = dict(query.order_by())
        job.issued = counts.get(BulkRow.State.ISSUED, 0)
        job.skipped = counts.get(BulkRow.State.SKIPPED, 0)
        job.failed = counts.get(BulkRow.State.FAILED, 0)
        job.save(update_fields=["issued", "skipped", "failed"])


def _finish(job: BulkJob, state: str, error: str = "") -> BulkJob:
    """Close the job once: of several runners finishing together, one records the event."""
    _count(job)
    job.state, job.error, job.finished_at = state, error, timezone.now()
    closing = BulkJob.objects.filter(pk=job.pk).exclude(state=BulkJob.State.DONE)
    if not closing.update(state=state, error=error, finished_at=job.finished_at):
        return job
    counts = {"issued": job.issued, "skipped": job.skipped, "failed": job.failed}
    record_event(
        action="bulk.finished" if state == BulkJob.State.DONE else "bulk.failed",
        actor=job.created_by,
        provider=job.provider,
        subject=f"bulk job {job.pk}",
        details={**counts, "error": error} if error else counts,
    )
    return job


def claim_rows(job: BulkJob, size: int, *, after: int = 0) -> list[BulkRow]:
    """Take up to ``size`` pending rows (from line ``after`` on) that no other runner holds.

    A row is held by a worker id until ``claimed_until``; the claim is one short transaction
    whose UPDATE re-checks that each row is still pending and free, so of two runners racing
    for a row exactly one gets it (PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets the loser move
    on to other rows instead of waiting; SQLite: the IMMEDIATE transaction serialises
    claims). Rows held by this very worker are taken again: a worker runs one task at a time,
    so they are left over from a run of its own that stopped.
    """
    me, now = workers.identity(), timezone.now()
    free = Q(claimed_by="") | Q(claimed_by=me) | Q(claimed_until__lt=now)
    until = now + timedelta(seconds=LEASE_SECONDS)
    pending = BulkRow.objects.filter(job=job, state=BulkRow.State.PENDING, line__gt=after)
    with transaction.atomic():
        candidates = pending.filter(free).order_by("line").select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:size])
        pending.filter(free, pk__in=ids).update(claimed_by=me, claimed_until=until)
    return list(pending.filter(claimed_by=me, claimed_until=until).order_by("line"))


def release_claims(worker_ids: Iterable[str]) -> int:
    """Free the pending rows held by workers known to be dead (see platform.workers)."""
    held = BulkRow.objects.filter(state=BulkRow.State.PENDING, claimed_by__in=list(worker_ids))
    return held.update(claimed_by="", claimed_until=None)


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
    errors = [error_text(cast(ValidationError, outcome)) for _, outcome in failed]
    pause_point("bulk.chunk-issued")
    with transaction.atomic():  # the rows and the job's counts change together
        _lock(job)
        added = {
            "issued": _settle(job, issued, BulkRow.State.ISSUED),
            "skipped": _settle(job, [r for r in done if not r.attempted], BulkRow.State.SKIPPED),
            "failed": _settle(job, [row for row, _ in failed], BulkRow.State.FAILED, errors),
        }
        BulkJob.objects.filter(pk=job.pk).update(**{k: F(k) + n for k, n in added.items()})
    job.refresh_from_db(fields=["issued", "skipped", "failed"])


def _stored(outcome: IssuedCredential | Exception) -> bool:
    return not isinstance(outcome, Exception)


def run_job(
    job_id: int, *, chunk_size: int = CHUNK, on_progress: Progress | None = None
) -> BulkJob:
    """Issue the job's pending rows; call again after a crash to continue where it stopped.

    Several runners (workers) may work on one job at once: each claims its own chunks
    (:func:`claim_rows`), and the job is closed by whoever finds no pending row left; a
    runner that finds only rows held by others leaves the job to them. A refused actor (no
    longer owner/issuer) fails the job; a row the credential service rejects fails that row
    only; any other error fails the job and is raised again, with the unprocessed rows still
    pending and free for the next run.
    """
    job = _claim(job_id)
    if job.state == BulkJob.State.DONE:
        return job
    try:
        require_role(job.created_by, job.provider, ISSUERS)
        description = _result_description(job.definition)
        _count(job)  # once; each chunk then adds what it settled
        _work(job, chunk_size, description, on_progress)
    except PermissionDenied as error:
        return _finish(job, BulkJob.State.FAILED, str(error))
    except Exception as error:
        release_claims([workers.identity()])
        _finish(job, BulkJob.State.FAILED, f"stopped: {error}")
        raise
    if BulkRow.objects.filter(job=job, state=BulkRow.State.PENDING).exists():
        return job  # the rest is held by other runners: they close the job
    return _finish(job, BulkJob.State.DONE)


def _work(job: BulkJob, size: int, description: str | None, on_progress: Progress | None) -> None:
    # Keyset pagination (after the last line seen): each claim's index scan starts where
    # the previous one ended instead of walking over every row settled so far (on
    # PostgreSQL their old "pending" index entries stay until vacuum: quadratic). One pass
    # from the start at the end picks up rows that another runner released meanwhile.
    last, rescanned = 0, False
    while True:
        rows = claim_rows(job, size, after=last)
        if not rows:
            if last == 0 or rescanned:
                return
            last, rescanned = 0, True
            continue
        _process(job, rows, description)
        last = rows[-1].line
        if on_progress is not None:
            on_progress(job)
