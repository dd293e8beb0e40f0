"""Claim emails: through a real SMTP server, into the outbox folder, once, and retried."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from microcred.credentials import services as credential_services
from microcred.credentials.issuing import issue_batch
from microcred.credentials.models import IssuedCredential
from microcred.delivery import services, tasks
from microcred.delivery.models import ClaimInvitation
from microcred.delivery.tests.conftest import (
    Collector,
    SmtpServer,
    bodies,
    claim_token,
    free_port,
    smtp_settings,
)
from microcred.providers.models import AuditEvent

Issue = Callable[..., IssuedCredential]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PUBLIC = "http://testserver.example/credentials/"


def _public_url(credential: IssuedCredential) -> str:
    return PUBLIC + credential.credential_id.removeprefix("urn:uuid:")


def test_invitation_goes_through_smtp_with_claim_link_and_public_page(
    issue: Issue, smtp: SmtpServer
) -> None:
    credential = issue("Ana@Example.com")
    invitation = services.invite(credential)

    [message] = smtp.messages
    assert smtp.collector.recipients == [["ana@example.com"]]
    assert "Utrecht Open University" in message["Subject"]
    assert "Data Analysis Fundamentals" in message["Subject"]
    text, html = bodies(message)
    token = claim_token(text)
    assert f"http://testserver.example/claim/{token}" in html
    assert _public_url(credential) in text and _public_url(credential) in html
    assert "Utrecht Open University" in text and "Data Analysis Fundamentals" in html
    assert invitation.sent_at is not None and invitation.send_attempts == 1
    assert invitation.last_error == ""
    assert (
        AuditEvent.objects.filter(
            action="credential.invited", subject=credential.credential_id
        ).count()
        == 1
    )


def test_the_raw_token_is_never_stored(issue: Issue, smtp: SmtpServer) -> None:
    services.invite(issue())
    token = claim_token(bodies(smtp.messages[0])[0])
    [row] = ClaimInvitation.objects.values()
    assert all(token not in str(value) for value in row.values())
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


def test_invite_is_idempotent(issue: Issue, smtp: SmtpServer) -> None:
    credential = issue()
    first = services.invite(credential)
    again = services.invite(credential)
    assert first.pk == again.pk and again.send_attempts == 1
    assert len(smtp.messages) == 1
    assert ClaimInvitation.objects.count() == 1


def test_development_backend_writes_the_message_to_the_outbox_folder(
    issue: Issue, tmp_path: Path
) -> None:
    credential = issue()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=tmp_path
    ):
        services.invite(credential)
    [written] = list(tmp_path.iterdir())
    content = written.read_text()
    assert "To: ana@example.com" in content
    assert "http://testserver.example/claim/" in content and _public_url(credential) in content


@override_settings(TASKS=IMMEDIATE)
def test_failing_smtp_is_recorded_and_a_later_retry_sends(issue: Issue) -> None:
    credential = issue()
    with smtp_settings(free_port()):  # nothing listens there: connection refused
        result = tasks.send_invitation.enqueue(credential.pk)
    assert result.return_value is not None and result.return_value["sent"] is False
    invitation = ClaimInvitation.objects.get(credential=credential)
    assert invitation.sent_at is None and invitation.send_attempts == 1
    assert "Connection" in invitation.last_error or "refused" in invitation.last_error
    failed_hash = invitation.token_hash

    # The server comes up between the two attempts.
    collector, port = Collector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port):
            retry = tasks.send_invitation.enqueue(credential.pk)
    finally:
        controller.stop()
    assert retry.return_value is not None and retry.return_value["sent"] is True
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_attempts == 2
    assert invitation.last_error == ""
    [message] = collector.messages
    # The token of the failed attempt was never delivered, so it no longer opens anything.
    assert (
        hashlib.sha256(claim_token(bodies(message)[0]).encode()).hexdigest()
        == invitation.token_hash
    )
    assert invitation.token_hash != failed_hash


def test_a_failed_send_is_queued_again_later_on_the_database_backend(issue: Issue) -> None:
    credential = issue()
    before = timezone.now()
    with smtp_settings(free_port()):
        outcome = tasks.send_invitation.call(credential.pk)
    assert outcome["sent"] is False
    # The first job was queued by issuing itself (in its transaction); the retry is deferred.
    [queued] = DBTaskResult.objects.filter(
        task_path__endswith="send_invitation", run_after__lt=before + timedelta(days=1)
    )
    assert queued.args_kwargs["args"] == [credential.pk]
    assert queued.run_after >= before + timedelta(seconds=59)


def test_retries_stop_after_the_last_attempt() -> None:
    assert services.retry_delay(1) == timedelta(minutes=1)
    assert services.retry_delay(2) == timedelta(minutes=4)
    assert services.retry_delay(services.MAX_ATTEMPTS) is None


@override_settings(TASKS=IMMEDIATE)
def test_deliver_queues_the_email_after_the_issuing_commit(
    issue: Issue, smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(issue("bo@example.com"))
    assert [recipients for recipients in smtp.collector.recipients] == [["bo@example.com"]]


@override_settings(TASKS=IMMEDIATE)
def test_pending_emails_command_sends_each_waiting_credential_once(
    issue: Issue, smtp: SmtpServer, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent = issue("sent@example.com")
    services.invite(sent)
    issue("waiting@example.com")
    revoked = issue("revoked@example.com")
    credential_services.revoke(actor=owner, credential=revoked, reason="clerical error")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_claim_emails")
    assert sorted(r[0] for r in smtp.collector.recipients) == [
        "sent@example.com",
        "waiting@example.com",
    ]


def test_credentials_without_an_email_are_not_invited(
    definition: Any, owner: Any, smtp: SmtpServer
) -> None:
    by_did = credential_services.issue_credential(
        actor=owner, definition=definition, recipient_did="did:example:learner"
    )
    with pytest.raises(ValidationError, match="no recipient email"):
        services.invite(by_did)
    assert smtp.messages == []


def test_a_batch_queues_one_job_for_its_emails_and_each_email_goes_out(
    definition: Any, owner: Any, smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [{"recipient_email": f"learner{n}@example.com"} for n in range(3)]
    rows.append({"recipient_did": "did:example:no-email"})
    with django_capture_on_commit_callbacks(execute=True):
        issue_batch(actor=owner, definition=definition, rows=rows)
    [job] = DBTaskResult.objects.all()
    assert job.task_path.endswith("send_invitations")
    outcome = tasks.send_invitations.call(*job.args_kwargs["args"])
    assert outcome == {"sent": 3, "unsent": 0}
    assert sorted(r[0] for r in smtp.collector.recipients) == [
        f"learner{n}@example.com" for n in range(3)
    ]
    assert ClaimInvitation.objects.filter(sent_at__isnull=False).count() == 3
