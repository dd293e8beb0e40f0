"""Issuing, verifying through the served status lists, revoking, suspending, idempotency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from microcred.core.model import hash_email
from microcred.core.verify.report import VerificationReport
from microcred.credentials import services
from microcred.credentials.models import IssuedCredential, StatusList
from microcred.credentials.tests.conftest import fetch_json, path_of
from microcred.providers.models import AuditEvent

Verify = Callable[[dict[str, Any]], VerificationReport]


def _issue(definition: Any, actor: Any, **extra: Any) -> IssuedCredential:
    extra.setdefault("recipient_email", "Ana.Andromeda@example.com")
    return services.issue_credential(actor=actor, definition=definition, **extra)


def _checks(report: VerificationReport, name: str) -> list[bool]:
    return [check.ok for check in report.checks if check.check == name]


def _status_messages(report: VerificationReport) -> list[str]:
    return [check.message for check in report.checks if check.check == "status"]


def test_issued_credential_is_signed_and_not_revoked(
    definition: Any, staff: dict[str, Any], verify: Verify
) -> None:
    issued = _issue(definition, staff["issuer"])
    report = verify(issued.document)
    assert _checks(report, "proof") == [True]
    assert _checks(report, "issuer") == [True]
    assert _checks(report, "validity") == [True]
    assert _checks(report, "status") == [True]
    assert _status_messages(report)[0].startswith("Not revoked")


def test_issued_credential_passes_every_check(
    definition: Any, staff: dict[str, Any], verify: Verify
) -> None:
    report = verify(_issue(definition, staff["issuer"]).document)
    assert report.failed() == [] and report.verified


def test_document_content(definition: Any, staff: dict[str, Any]) -> None:
    issued = _issue(
        definition,
        staff["owner"],
        narrative="Top project",
        evidence_url="https://uni.example.edu/p/1",
        result={"value": "A", "status": "Completed"},
    )
    document = issued.document
    subject = document["credentialSubject"]
    assert document["id"] == issued.credential_id and issued.credential_id.startswith("urn:uuid:")
    assert document["issuer"]["id"] == definition.provider.did
    assert document["issuer"]["address"]["addressCountryCode"] == "NL"
    assert subject["achievement"]["id"].endswith("/achievements/uni/data-101/v1")
    assert subject["narrative"] == "Top project" and subject["result"][0]["value"] == "A"
    assert document["evidence"][0]["id"] == "https://uni.example.edu/p/1"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    identity = subject["identifier"][0]
    # The plain email is not in the credential; its salted hash is, and matches the row.
    assert "ana.andromeda" not in str(document).lower()
    assert identity["identityHash"] == hash_email("ana.andromeda@example.com", identity["salt"])
    assert issued.recipient_email_hash == identity["identityHash"]
    # One status entry: the OB 3.0 schema allows a single credentialStatus object.
    entry = document["credentialStatus"]
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"] == str(issued.status_index)
    assert issued.suspension_index is None


def test_revoke_fails_the_status_check_for_good(
    definition: Any, staff: dict[str, Any], verify: Verify
) -> None:
    issued = _issue(definition, staff["issuer"])
    bystander = _issue(definition, staff["issuer"], recipient_email="bo@example.com")
    services.revoke(actor=staff["issuer"], credential=issued, reason="plagiarism")
    report = verify(issued.document)
    assert _checks(report, "proof") == [True]
    assert _checks(report, "status") == [False]
    assert "revoked" in _status_messages(report)[0]
    assert _checks(verify(bystander.document), "status") == [True]
    issued.refresh_from_db()
    assert (issued.state, issued.reason) == ("revoked", "plagiarism")
    assert issued.revoked_at is not None
    with pytest.raises(ValidationError):
        services.unsuspend(actor=staff["owner"], credential=issued)
    with pytest.raises(ValidationError):
        services.revoke(actor=staff["owner"], credential=issued, reason="again")


def test_suspend_then_unsuspend(
    make_definition: Callable[..., Any], staff: dict[str, Any], verify: Verify
) -> None:
    suspendable = make_definition("susp-1", status_purpose="suspension")
    issued = _issue(suspendable, staff["issuer"])
    assert issued.document["credentialStatus"]["statusPurpose"] == "suspension"
    services.suspend(actor=staff["issuer"], credential=issued, reason="under investigation")
    report = verify(issued.document)
    assert _checks(report, "status") == [False]
    assert "suspended" in _status_messages(report)[0]
    services.unsuspend(actor=staff["issuer"], credential=issued, reason="cleared")
    assert _checks(verify(issued.document), "status") == [True]
    issued.refresh_from_db()
    assert issued.state == "active"
    # Revoking a suspendable credential suspends it for good.
    services.revoke(actor=staff["owner"], credential=issued, reason="confirmed")
    assert _checks(verify(issued.document), "status") == [False]
    with pytest.raises(ValidationError):
        services.unsuspend(actor=staff["owner"], credential=issued)


def test_revocation_credentials_cannot_be_suspended(definition: Any, staff: dict[str, Any]) -> None:
    issued = _issue(definition, staff["issuer"])
    with pytest.raises(ValidationError) as caught:
        services.suspend(actor=staff["issuer"], credential=issued, reason="hm")
    assert "revoked, not suspended" in str(caught.value)
    issued.refresh_from_db()
    assert issued.state == "active"


def test_document_never_changes_after_issuing(
    definition: Any, staff: dict[str, Any], client: Client
) -> None:
    issued = _issue(definition, staff["issuer"])
    before = fetch_json(client, f"/credentials/{issued.credential_id.removeprefix('urn:uuid:')}")
    services.revoke(actor=staff["issuer"], credential=issued, reason="error")
    after = fetch_json(client, f"/credentials/{issued.credential_id.removeprefix('urn:uuid:')}")
    assert before == after == issued.document


def test_status_list_view(definition: Any, staff: dict[str, Any], client: Client) -> None:
    issued = _issue(definition, staff["issuer"])
    url = issued.document["credentialStatus"]["statusListCredential"]
    response = client.get(path_of(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert "max-age=300" in response["Cache-Control"]
    body = response.json()
    assert body["id"] == url and body["issuer"] == definition.provider.did
    assert body["credentialSubject"]["statusPurpose"] == "revocation"
    assert body["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    # Signed once, then served from the row until a bit changes.
    assert StatusList.objects.get(url=url).signed == body
    services.revoke(actor=staff["issuer"], credential=issued, reason="x")
    assert StatusList.objects.get(url=url).signed is None
    assert (
        client.get(path_of(url)).json()["credentialSubject"]["encodedList"]
        != body["credentialSubject"]["encodedList"]
    )
    assert client.get("/status/uni/other").status_code == 404
    assert client.get("/status/nobody/revocation").status_code == 404


def test_same_idempotency_key_issues_once(definition: Any, staff: dict[str, Any]) -> None:
    first = _issue(definition, staff["issuer"], idempotency_key="row-7")
    again = _issue(
        definition, staff["owner"], idempotency_key="row-7", recipient_email="x@example.com"
    )
    assert again.pk == first.pk and again.document == first.document
    assert IssuedCredential.objects.count() == 1
    allocated = StatusList.objects.get(purpose="revocation").allocated
    assert sum(bin(byte).count("1") for byte in bytes(allocated)) == 1
    assert AuditEvent.objects.filter(action="credential.issued").count() == 1


def test_indexes_are_never_reused(definition: Any, staff: dict[str, Any]) -> None:
    issued = [
        _issue(definition, staff["issuer"], recipient_did=f"did:example:{n}", recipient_email=None)
        for n in range(40)
    ]
    revocation = {row.status_index for row in issued}
    assert len(revocation) == 40 and all(row.suspension_index is None for row in issued)
    services.revoke(actor=staff["issuer"], credential=issued[0], reason="x")
    more = services.allocate(definition.provider, "revocation", 200)
    assert len({a.index for a in more} | revocation) == 240


def test_staff_rights(definition: Any, staff: dict[str, Any], other_provider: Any) -> None:
    for user in (staff["viewer"], staff["outsider"]):
        with pytest.raises(PermissionDenied):
            _issue(definition, user)
    issued = _issue(definition, staff["issuer"])
    for user in (staff["viewer"], staff["outsider"]):
        for action in (services.revoke, services.suspend):
            with pytest.raises(PermissionDenied):
                action(actor=user, credential=issued, reason="no right")
    issued.refresh_from_db()
    assert issued.state == "active" and IssuedCredential.objects.count() == 1


def test_only_published_definitions_issue(
    make_definition: Callable[..., Any], staff: dict[str, Any]
) -> None:
    draft = make_definition("draft-1", publish=False)
    with pytest.raises(ValidationError) as caught:
        _issue(draft, staff["issuer"])
    assert "definition" in caught.value.message_dict
    archived = services.archive(actor=staff["owner"], definition=make_definition("old-1"))
    with pytest.raises(ValidationError):
        _issue(archived, staff["issuer"])
    assert not IssuedCredential.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"recipient_email": None}, "recipient_email"),
        ({"recipient_email": "not-an-email"}, "recipient_email"),
        ({"recipient_email": None, "recipient_did": "bob"}, "recipient_did"),
        ({"valid_until": "2001-01-01T00:00:00Z"}, "valid_until"),
        ({"result": {"status": "Brilliant"}}, "result"),
    ],
)
def test_bad_input_names_the_field(
    definition: Any, staff: dict[str, Any], extra: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _issue(definition, staff["issuer"], **extra)
    assert field in caught.value.message_dict
    assert not IssuedCredential.objects.exists()


def test_expiry_policy_sets_valid_until(
    make_definition: Callable[..., Any], staff: dict[str, Any]
) -> None:
    definition = make_definition("exp-1", expiry_months=24)
    issued = _issue(definition, staff["issuer"])
    start, end = issued.document["validFrom"], issued.document["validUntil"]
    assert int(end[:4]) - int(start[:4]) == 2 and end[4:10] == start[4:10]


def test_audit_trail(make_definition: Callable[..., Any], staff: dict[str, Any]) -> None:
    definition = make_definition("audit-1", status_purpose="suspension")
    issued = _issue(definition, staff["issuer"])
    services.suspend(actor=staff["issuer"], credential=issued, reason="check")
    services.unsuspend(actor=staff["owner"], credential=issued)
    services.revoke(actor=staff["owner"], credential=issued, reason="fraud")
    events = AuditEvent.objects.filter(subject=issued.credential_id).order_by("id")
    assert [(e.action, e.actor) for e in events] == [
        ("credential.issued", staff["issuer"]),
        ("credential.suspended", staff["issuer"]),
        ("credential.unsuspended", staff["owner"]),
        ("credential.revoked", staff["owner"]),
    ]
    assert events.last().details["reason"] == "fraud"  # type: ignore[union-attr]
    assert all(e.provider == definition.provider for e in events)


def test_one_issue_is_one_transaction_a_failure_leaves_nothing(
    definition: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    from microcred.credentials import issuing

    _issue(definition, staff["issuer"])  # the status list exists and holds one index
    allocated = StatusList.objects.get().allocated
    events, jobs = AuditEvent.objects.count(), DBTaskResult.objects.count()

    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("the signer crashed")

    monkeypatch.setattr(issuing, "sign_credential", broken)
    with pytest.raises(RuntimeError):
        _issue(definition, staff["issuer"], recipient_email="bo@example.com")
    assert StatusList.objects.get().allocated == allocated  # no index burned
    assert IssuedCredential.objects.count() == 1
    assert (AuditEvent.objects.count(), DBTaskResult.objects.count()) == (events, jobs)


def test_the_claim_email_job_is_written_with_the_credential(
    definition: Any, staff: dict[str, Any]
) -> None:
    from django_tasks_db.models import DBTaskResult

    issued = _issue(definition, staff["issuer"])  # no on_commit callback runs in this test
    [job] = DBTaskResult.objects.filter(task_path__endswith="send_invitation")
    assert job.args_kwargs["args"] == [issued.pk]
