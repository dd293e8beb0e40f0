"""Bulk jobs through the services: dry run, issuing, re-runs, resuming after a crash, rights."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from microcred.bulk import services
from microcred.bulk.models import BulkJob, BulkRow
from microcred.bulk.tests.conftest import learners_csv, make_definition
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials.models import IssuedCredential
from microcred.providers.models import AuditEvent

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _job(definition: Any, actor: Any, content: bytes, name: str = "cohort.csv") -> BulkJob:
    return services.create_job(actor=actor, definition=definition, csv_bytes=content, filename=name)


def _counts(job: BulkJob) -> tuple[str, int, int, int, int]:
    job.refresh_from_db()
    return job.state, job.total, job.issued, job.skipped, job.failed


def _verify(client: Client, document: dict[str, Any]) -> Any:
    url = document["credentialStatus"]["statusListCredential"]
    body = client.get(urlsplit(url).path).content
    options = VerifyOptions(fetcher=StaticFetcher({url: body}))
    return verify_document(document, name="bulk", options=options)


def test_dry_run_reports_and_writes_nothing(definition: Any, staff: dict[str, Any]) -> None:
    content = learners_csv(3) + b"nobody,x,A\n=cmd(),x,B\n"
    before = (IssuedCredential.objects.count(), AuditEvent.objects.count())
    report = services.dry_run(
        actor=staff["issuer"], definition=definition, csv_bytes=content, filename="c.csv"
    )
    assert not report.ok and report.rows == 3 and report.would_issue == 0
    assert [(e.line, e.column) for e in report.errors] == [(5, "email"), (6, "email")]
    assert "'=cmd()" in report.error_csv()
    assert BulkJob.objects.count() == 0 and BulkRow.objects.count() == 0
    assert (IssuedCredential.objects.count(), AuditEvent.objects.count()) == before
    clean = services.dry_run(
        actor=staff["issuer"], definition=definition, csv_bytes=learners_csv(3), filename="c"
    )
    assert clean.ok and clean.would_issue == 3 and clean.error_csv().count("\n") == 1


def test_a_file_with_errors_is_refused_whole(definition: Any, staff: dict[str, Any]) -> None:
    content = learners_csv(10) + b"learner3@example.com,again,A\n"
    with pytest.raises(services.FileHasErrors) as refused:
        _job(definition, staff["owner"], content)
    assert [(e.line, e.message) for e in refused.value.report.errors] == [
        (12, "duplicate recipient: the same as line 5")
    ]
    assert "nothing was issued" in str(refused.value)
    assert BulkJob.objects.count() == 0 and IssuedCredential.objects.count() == 0


def test_200_rows_issue_200_verifiable_credentials(
    definition: Any, staff: dict[str, Any], client: Client
) -> None:
    job = _job(definition, staff["issuer"], learners_csv(200))
    assert _counts(job) == ("validated", 200, 0, 0, 0)
    seen: list[int] = []
    services.run_job(job.pk, chunk_size=50, on_progress=lambda j: seen.append(j.issued))
    assert seen == [50, 100, 150, 200]
    assert _counts(job) == ("done", 200, 200, 0, 0)
    issued = IssuedCredential.objects.filter(definition=definition)
    assert issued.count() == 200
    assert len({c.credential_id for c in issued}) == 200
    assert len({c.document["proof"]["proofValue"] for c in issued}) == 200
    rows = BulkRow.objects.filter(job=job).select_related("credential")
    assert {row.state for row in rows} == {"issued"}
    assert {row.credential.recipient_email for row in rows if row.credential} == {
        f"learner{n}@example.com" for n in range(200)
    }
    for row in (rows[0], rows[199]):
        assert row.credential is not None
        document = row.credential.document
        assert document["credentialSubject"]["narrative"] == row.data["narrative"]
        assert document["credentialSubject"]["result"][0]["value"] == row.data["result"]
        report = _verify(client, document)
        assert [c.ok for c in report.checks if c.check in ("proof", "status")] == [True, True]
    job.refresh_from_db()
    assert job.finished_at is not None and job.started_at is not None
    assert AuditEvent.objects.filter(action="bulk.finished", subject=f"bulk job {job.pk}").exists()


def test_rerunning_the_job_or_the_file_issues_nothing(
    definition: Any, staff: dict[str, Any]
) -> None:
    job = services.run_job(_job(definition, staff["issuer"], learners_csv(20)).pk)
    assert services.run_job(job.pk).issued == 20
    report = services.dry_run(
        actor=staff["owner"], definition=definition, csv_bytes=learners_csv(20), filename="again"
    )
    assert report.ok and report.already_issued == 20 and report.would_issue == 0
    again = services.run_job(_job(definition, staff["owner"], learners_csv(25)).pk)
    assert _counts(again) == ("done", 25, 5, 20, 0)
    assert IssuedCredential.objects.count() == 25
    skipped = BulkRow.objects.filter(job=again, state="skipped")
    first = {row.credential_id for row in BulkRow.objects.filter(job=job)}
    assert {row.credential_id for row in skipped} == first


# Crashes mid-chunk, kills between storing and settling, and rows the credential service
# rejects are tested through the batch path in test_batch_path.py.


def test_dids_dates_and_explicit_keys(definition: Any, staff: dict[str, Any]) -> None:
    content = (
        b"did,valid_until,evidence_url,idempotency_key\n"
        b"did:web:learner.example.com,2031-03-01,https://uni.example.edu/e/1,enrol-77\n"
    )
    job = services.run_job(_job(definition, staff["issuer"], content).pk)
    assert job.issued == 1
    credential = IssuedCredential.objects.get(idempotency_key="enrol-77")
    document = credential.document
    assert document["credentialSubject"]["id"] == "did:web:learner.example.com"
    assert document["validUntil"] == "2031-03-01T23:59:59Z"
    assert document["evidence"][0]["id"] == "https://uni.example.edu/e/1"


def test_a_key_used_by_another_definition_is_a_dry_run_error(
    definition: Any, provider: Any, staff: dict[str, Any]
) -> None:
    other = make_definition(provider, staff["owner"], slug="ml-201")
    services.run_job(_job(other, staff["owner"], b"email,idempotency_key\na@x.org,k1\n").pk)
    with pytest.raises(services.FileHasErrors) as refused:
        _job(definition, staff["owner"], b"email,idempotency_key\nb@x.org,k1\n")
    [error] = refused.value.report.errors
    assert (error.line, error.column) == (2, "idempotency_key")


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_viewers_and_other_providers_staff_are_refused(
    who: str, definition: Any, staff: dict[str, Any], other_provider: Any
) -> None:
    actor = staff[who]
    with pytest.raises(PermissionDenied):
        services.dry_run(
            actor=actor, definition=definition, csv_bytes=b"email\na@x.org\n", filename="f"
        )
    with pytest.raises(PermissionDenied):
        _job(definition, actor, b"email\na@x.org\n")
    job = _job(definition, staff["issuer"], b"email\na@x.org\n")
    with pytest.raises(PermissionDenied):
        services.start_job(actor=actor, job=job)
    assert BulkJob.objects.count() == 1 and IssuedCredential.objects.count() == 0


def test_an_issuer_who_lost_the_role_cannot_run_the_job(
    definition: Any, provider: Any, staff: dict[str, Any]
) -> None:
    job = _job(definition, staff["issuer"], learners_csv(3))
    provider.memberships.filter(user=staff["issuer"]).delete()
    services.run_job(job.pk)
    assert _counts(job) == ("failed", 3, 0, 0, 0)
    assert "owner or issuer" in job.error and IssuedCredential.objects.count() == 0


def test_unpublished_definitions_are_refused(definition: Any, staff: dict[str, Any]) -> None:
    from microcred.credentials import services as credential_services

    credential_services.archive(actor=staff["owner"], definition=definition)
    definition.refresh_from_db()
    with pytest.raises(ValidationError, match="not published"):
        _job(definition, staff["owner"], learners_csv(2))


def test_start_job_runs_it_as_a_task(definition: Any, staff: dict[str, Any]) -> None:
    job = _job(definition, staff["issuer"], learners_csv(5))
    with override_settings(TASKS=IMMEDIATE):
        services.start_job(actor=staff["issuer"], job=job)
    assert _counts(job) == ("done", 5, 5, 0, 0)


def test_start_job_queues_it_in_the_database(definition: Any, staff: dict[str, Any]) -> None:
    from django_tasks_db.models import DBTaskResult

    job = _job(definition, staff["issuer"], learners_csv(2))
    result_id = services.start_job(actor=staff["issuer"], job=job)
    queued = DBTaskResult.objects.get(id=result_id)
    assert queued.task_path == "microcred.bulk.tasks.run_bulk_job" and queued.args_kwargs[
        "args"
    ] == [job.pk]
    assert _counts(job) == ("queued", 2, 0, 0, 0)  # the page says it waits for a worker


def test_the_worker_runs_a_started_job(
    transactional_db: None, definition: Any, staff: dict[str, Any]
) -> None:
    from django.core.management import call_command

    job = _job(definition, staff["issuer"], learners_csv(12))
    services.start_job(actor=staff["issuer"], job=job)
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    assert _counts(job) == ("done", 12, 12, 0, 0)
