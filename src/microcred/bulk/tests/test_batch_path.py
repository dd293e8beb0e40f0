"""Bulk jobs through ``issue_batch``: exactly-once issuing, crashes mid-chunk, per-row errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.bulk import running, services
from microcred.bulk.models import BulkJob, BulkRow
from microcred.bulk.tests.conftest import learners_csv, make_definition
from microcred.core.crypto.suites.base import BatchSigner
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials import issuing
from microcred.credentials.models import IssuedCredential
from microcred.providers.models import AuditEvent


def _job(definition: Any, actor: Any, content: bytes) -> BulkJob:
    return services.create_job(
        actor=actor, definition=definition, csv_bytes=content, filename="cohort.csv"
    )


def _counts(job: BulkJob) -> tuple[str, int, int, int, int]:
    job.refresh_from_db()
    return job.state, job.total, job.issued, job.skipped, job.failed


def _exactly_once(job: BulkJob, rows: int) -> None:
    """Every row issued, each by a credential of its own key, no extra credentials."""
    assert IssuedCredential.objects.count() == rows
    keys = set(IssuedCredential.objects.values_list("idempotency_key", flat=True))
    assert keys == set(BulkRow.objects.filter(job=job).values_list("idempotency_key", flat=True))
    linked = BulkRow.objects.filter(job=job, credential__isnull=False)
    assert linked.count() == rows
    assert all(row.credential.idempotency_key == row.idempotency_key for row in linked)  # type: ignore[union-attr]


def _verify(client: Client, document: dict[str, Any]) -> list[bool]:
    url = document["credentialStatus"]["statusListCredential"]
    body = client.get(urlsplit(url).path).content
    report = verify_document(
        document, name="bulk", options=VerifyOptions(fetcher=StaticFetcher({url: body}))
    )
    return [check.ok for check in report.checks if check.check in ("proof", "status")]


def test_300_rows_issue_300_verifiable_credentials_with_audit_events(
    definition: Any, staff: dict[str, Any], client: Client
) -> None:
    job = _job(definition, staff["issuer"], learners_csv(300))
    seen: list[int] = []
    services.run_job(job.pk, on_progress=lambda j: seen.append(j.issued))
    assert seen == [100, 200, 300]  # incremental counts, per 100-row chunk
    assert _counts(job) == ("done", 300, 300, 0, 0)
    _exactly_once(job, 300)
    credentials = list(IssuedCredential.objects.order_by("id"))
    assert len({c.document["proof"]["proofValue"] for c in credentials}) == 300
    indexes = {c.document["credentialStatus"]["statusListIndex"] for c in credentials}
    assert len(indexes) == 300  # one status index each, none shared
    events = AuditEvent.objects.filter(action="credential.issued")
    assert sorted(events.values_list("subject", flat=True)) == sorted(
        c.credential_id for c in credentials
    )
    event = events.get(subject=credentials[0].credential_id)
    assert event.actor_id == staff["issuer"].pk and event.provider_id == definition.provider_id
    assert event.details == {"definition": definition.pk, "version": definition.version}
    for credential in (credentials[0], credentials[149], credentials[299]):
        assert _verify(client, credential.document) == [True, True]
        subject = credential.document["credentialSubject"]
        row = BulkRow.objects.get(job=job, credential=credential)
        assert subject["narrative"] == row.data["narrative"]
        assert subject["result"][0]["value"] == row.data["result"]


def test_a_crash_in_the_middle_of_a_chunk_then_a_rerun_issues_every_row_once(
    definition: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = BatchSigner.sign
    calls = {"n": 0}

    def crashing(self: BatchSigner, document: dict[str, Any]) -> Any:
        calls["n"] += 1
        if calls["n"] == 150:  # the 50th row of the second chunk
            raise RuntimeError("worker killed")
        return real(self, document)

    monkeypatch.setattr(BatchSigner, "sign", crashing)
    job = _job(definition, staff["issuer"], learners_csv(300))
    with pytest.raises(RuntimeError, match="worker killed"):
        services.run_job(job.pk)
    assert _counts(job) == ("failed", 300, 100, 0, 0)
    assert IssuedCredential.objects.count() == 100  # the broken chunk stored nothing
    assert BulkRow.objects.filter(job=job, state="pending", attempted=True).count() == 100
    monkeypatch.setattr(BatchSigner, "sign", real)
    services.run_job(job.pk)
    assert _counts(job) == ("done", 300, 300, 0, 0)
    _exactly_once(job, 300)


def test_killed_after_storing_a_chunk_before_settling_it_counts_the_rows_as_issued(
    definition: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = running._settle
    calls = {"n": 0}

    def dying(job: BulkJob, rows: list[BulkRow], state: str, *args: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 4:  # the second chunk's "issued" UPDATE (3 per chunk)
            raise SystemExit("killed")  # like SIGKILL after the chunk was committed
        return real(job, rows, state, *args)

    monkeypatch.setattr(running, "_settle", dying)
    job = _job(definition, staff["issuer"], learners_csv(25))
    with pytest.raises(SystemExit):
        services.run_job(job.pk, chunk_size=10)
    assert IssuedCredential.objects.count() == 20
    assert BulkRow.objects.filter(job=job, state="pending").count() == 15
    monkeypatch.setattr(running, "_settle", real)
    services.run_job(job.pk, chunk_size=10)
    assert _counts(job) == ("done", 25, 25, 0, 0)  # our own work, not "skipped"
    _exactly_once(job, 25)


def test_a_bad_did_row_fails_alone(definition: Any, staff: dict[str, Any]) -> None:
    # The CSV check lets did:Web:... through; the credential service refuses the method name.
    content = b"did,narrative\n" + b"".join(
        (b"did:Web:bad.example\n" if n == 3 else f"did:web:l{n}.example,P{n}\n".encode())
        for n in range(6)
    )
    job = services.run_job(_job(definition, staff["issuer"], content).pk, chunk_size=4)
    assert _counts(job) == ("done", 6, 5, 0, 1)
    failed = BulkRow.objects.get(job=job, state="failed")
    assert failed.line == 5 and failed.credential_id is None
    assert failed.error.startswith("recipient_did: ") and "is not a DID" in failed.error
    assert IssuedCredential.objects.count() == 5
    assert AuditEvent.objects.filter(action="credential.issued").count() == 5


def test_issue_batch_outcomes_keys_and_constant_queries(
    definition: Any, provider: Any, staff: dict[str, Any]
) -> None:
    other = make_definition(provider, staff["owner"], slug="ml-201")
    taken = issuing.issue_credential(
        actor=staff["owner"], definition=other, recipient_email="x@example.com", idempotency_key="t"
    )
    before = issuing.issue_credential(
        actor=staff["owner"], definition=definition, recipient_email="y@example.com",
        idempotency_key="old",
    )  # fmt: skip
    rows = [
        {"recipient_email": "a@example.com", "idempotency_key": "k1"},
        {"recipient_email": "not an address", "idempotency_key": "k2"},
        {"recipient_email": "b@example.com", "idempotency_key": "old"},
        {"recipient_email": "c@example.com", "idempotency_key": "t"},
        {"recipient_email": "d@example.com", "idempotency_key": "k1"},  # repeated in the batch
        {"recipient_email": "e@example.com"},
    ]
    out = issuing.issue_batch(actor=staff["issuer"], definition=definition, rows=rows)
    assert isinstance(out[0], IssuedCredential) and out[0].recipient_email == "a@example.com"
    assert isinstance(out[1], ValidationError) and "recipient_email" in out[1].message_dict
    assert out[2] == before
    assert isinstance(out[3], ValidationError) and "another definition" in str(out[3])
    assert taken.definition_id == other.pk
    assert out[4] == out[0]
    assert isinstance(out[5], IssuedCredential) and out[5].idempotency_key is None
    assert IssuedCredential.objects.count() == 4  # taken, before, k1, the keyless one
    again = issuing.issue_batch(actor=staff["issuer"], definition=definition, rows=rows[:1])
    assert again == [out[0]]

    def statements(count: int) -> int:
        batch = [{"recipient_email": f"q{count}-{n}@example.com"} for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            issuing.issue_batch(actor=staff["issuer"], definition=definition, rows=batch)
        return len(queries)

    assert statements(5) == statements(60)  # per batch, not per credential
