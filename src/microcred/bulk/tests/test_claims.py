"""Row claims: two workers on one job take disjoint rows; a live worker's rows stay its own
until its claim expires or it is found dead; a runner leaves a job others still work on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from microcred.bulk import running, services
from microcred.bulk.models import BulkJob, BulkRow
from microcred.bulk.tests.conftest import learners_csv
from microcred.credentials.models import IssuedCredential
from microcred.platform import workers

pytestmark = pytest.mark.django_db


def _job(definition: Any, actor: Any, rows: int) -> BulkJob:
    return services.create_job(
        actor=actor, definition=definition, csv_bytes=learners_csv(rows), filename="c.csv"
    )


def _as(monkeypatch: pytest.MonkeyPatch, worker_id: str) -> None:
    monkeypatch.setattr(workers, "_identity", worker_id)


def test_two_workers_claim_disjoint_rows_and_a_dead_ones_are_freed(
    definition: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(definition, staff["issuer"], 25)
    _as(monkeypatch, "w1")
    first = running.claim_rows(job, 10)
    _as(monkeypatch, "w2")
    second = running.claim_rows(job, 10)
    _as(monkeypatch, "w3")
    third = running.claim_rows(job, 10)
    assert [r.line for r in first] == list(range(2, 12))
    assert [r.line for r in second] == list(range(12, 22))
    assert [r.line for r in third] == list(range(22, 27))  # what others hold is not offered
    assert running.claim_rows(job, 10, after=26) == []
    assert services.release_claims(["w1"]) == 10  # w1 was found dead
    assert [r.line for r in running.claim_rows(job, 10)] == list(range(2, 12))


def test_an_expired_claim_is_taken_and_a_worker_takes_back_its_own(
    definition: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(definition, staff["issuer"], 4)
    _as(monkeypatch, "w1")
    assert len(running.claim_rows(job, 2)) == 2
    assert len(running.claim_rows(job, 10)) == 4  # its own rows: a previous run of its own
    BulkRow.objects.filter(line__lte=3).update(claimed_until=timezone.now() - timedelta(1))
    _as(monkeypatch, "w2")
    assert [r.line for r in running.claim_rows(job, 10)] == [2, 3]


def test_a_runner_leaves_rows_held_by_a_live_worker_and_the_job_open(
    definition: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(definition, staff["issuer"], 30)
    _as(monkeypatch, "w1")
    running.claim_rows(job, 5)  # w1 is alive and busy with lines 2-6
    _as(monkeypatch, "w2")
    left = services.run_job(job.pk, chunk_size=10)
    assert (left.state, left.issued) == ("running", 25)
    assert IssuedCredential.objects.count() == 25
    _as(monkeypatch, "w1")  # w1 gets to its rows, finds nothing else left and closes the job
    done = services.run_job(job.pk)
    assert (done.state, done.issued, done.skipped) == ("done", 30, 0)
    assert IssuedCredential.objects.count() == 30
