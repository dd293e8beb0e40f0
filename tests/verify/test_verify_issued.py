"""Credentials microcred issues: each suite verifies, and each way of breaking one is caught
by the check a user would expect, with the status list fetched through the fetcher port."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.statuslist import StatusListState
from microcred.core.crypto.suites.base import BatchSigner, sign_credential
from microcred.core.model import build_endorsement, sample_credential
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_bytes, verify_document
from tests.verify.fixtures import NOW

LIST_URL = "https://issuer.example/status/1"
EMAIL = "ana.andromeda@example.com"


def _key(seed: int) -> Ed25519KeyPair:
    return Ed25519KeyPair.from_seed(bytes([seed]) * 32)


def _credential(key: Ed25519KeyPair, state: StatusListState | None = None) -> dict[str, Any]:
    document = sample_credential(
        issuer_id=key.controller or "",
        recipient_email=EMAIL,
        salt="s",
        valid_from="2026-01-01T00:00:00Z",
    )
    if state is not None:
        document["credentialStatus"] = state.entry(state.allocate())
    return document


def _publish(state: StatusListState, key: Ed25519KeyPair) -> StaticFetcher:
    listed = sign_credential(state.credential(key.controller or "", "2026-01-01T00:00:00Z"), key)
    return StaticFetcher({LIST_URL: json.dumps(listed).encode()})


def _failing(report: Any) -> set[str]:
    return {check.check for check in report.failed()}


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt"])
def test_each_suite_verifies_and_tampering_breaks_it(suite: str) -> None:
    key = _key(1)
    signed = BatchSigner(key, suite=suite).sign(_credential(key))
    options = VerifyOptions(now=NOW)
    data = (signed if isinstance(signed, str) else json.dumps(signed)).encode()
    report = verify_bytes(data, name="c", options=options)
    assert report.verified, report.to_json()
    assert {c.check for c in report.checks} >= {
        "structure",
        "proof",
        "issuer",
        "validity",
        "status",
    }
    if isinstance(signed, str):
        header, payload, signature = signed.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["credentialSubject"]["achievement"]["name"] = "Data Analysis with NoSQL"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        tampered = f"{header}.{forged}.{signature}".encode()
    else:
        changed = copy.deepcopy(signed)
        changed["credentialSubject"]["achievement"]["name"] = "Data Analysis with NoSQL"
        tampered = json.dumps(changed).encode()
    assert "proof" in _failing(verify_bytes(tampered, name="t", options=options))


def test_revocation_through_the_published_list() -> None:
    key = _key(2)
    state = StatusListState.new(LIST_URL, "revocation", issuer=key.controller)
    signed = sign_credential(_credential(key, state), key)
    index = int(signed["credentialStatus"]["statusListIndex"])
    report = verify_document(signed, name="c", options=VerifyOptions(_publish(state, key), now=NOW))
    assert report.verified
    assert next(c.message for c in report.checks if c.check == "status").startswith("Not revoked")
    state.revoke(index)
    revoked = verify_document(
        signed, name="c", options=VerifyOptions(_publish(state, key), now=NOW)
    )
    assert _failing(revoked) == {"status"}
    assert any("revoked" in c.message for c in revoked.failed())


def test_suspension_is_reversible() -> None:
    key = _key(3)
    state = StatusListState.new(LIST_URL, "suspension", issuer=key.controller)
    signed = sign_credential(_credential(key, state), key)
    index = int(signed["credentialStatus"]["statusListIndex"])
    state.suspend(index)
    options = VerifyOptions(_publish(state, key), now=NOW)
    assert _failing(verify_document(signed, name="c", options=options)) == {"status"}
    state.unsuspend(index)
    assert verify_document(
        signed, name="c", options=VerifyOptions(_publish(state, key), now=NOW)
    ).verified


def test_unreachable_or_unsigned_or_forged_list_is_a_failure() -> None:
    key, forger = _key(4), _key(5)
    state = StatusListState.new(LIST_URL, "revocation", issuer=key.controller)
    signed = sign_credential(_credential(key, state), key)
    unreachable = verify_document(signed, name="c", options=VerifyOptions(StaticFetcher(), now=NOW))
    assert _failing(unreachable) == {"status"}
    assert "unreachable" in unreachable.failed()[0].message
    unsigned = state.credential(key.controller or "", "2026-01-01T00:00:00Z")
    fetcher = StaticFetcher({LIST_URL: json.dumps(unsigned).encode()})
    report = verify_document(signed, name="c", options=VerifyOptions(fetcher, now=NOW))
    assert _failing(report) == {"status"} and "does not verify" in report.failed()[0].message
    state.revoke(int(signed["credentialStatus"]["statusListIndex"]))
    listed = sign_credential(state.credential(key.controller or "", "2026-01-01T00:00:00Z"), key)
    cleared = StatusListState.new(LIST_URL, "revocation").to_json()["encodedList"]
    listed["credentialSubject"]["encodedList"] = cleared  # "un-revoke" without the key
    fetcher = StaticFetcher({LIST_URL: json.dumps(listed).encode()})
    report = verify_document(signed, name="c", options=VerifyOptions(fetcher, now=NOW))
    assert _failing(report) == {"status"} and "does not verify" in report.failed()[0].message
    clean = StatusListState.new(LIST_URL, "revocation")
    impostor = sign_credential(
        clean.credential(forger.controller or "", "2026-01-01T00:00:00Z"), forger
    )
    fetcher = StaticFetcher({LIST_URL: json.dumps(impostor).encode()})
    report = verify_document(signed, name="c", options=VerifyOptions(fetcher, now=NOW))
    assert (
        _failing(report) == {"status"}
        and "not by the credential's issuer" in report.failed()[0].message
    )


def test_issuer_mismatch_and_expiry() -> None:
    key, other = _key(6), _key(7)
    document = _credential(key)
    document["validUntil"] = "2025-01-01T00:00:00Z"
    signed = sign_credential(document, key)
    assert _failing(verify_document(signed, name="c", options=VerifyOptions(now=NOW))) == {
        "validity"
    }
    stolen = sign_credential(_credential(key), other, check_issuer=False)
    report = verify_document(stolen, name="c", options=VerifyOptions(now=NOW))
    assert _failing(report) == {"issuer"}


def test_recipient_check_with_hashed_email() -> None:
    key = _key(8)
    signed = sign_credential(_credential(key), key)
    ok = verify_document(signed, name="c", options=VerifyOptions(now=NOW, recipient_email=EMAIL))
    assert ok.verified and any(c.check == "recipient" and c.ok for c in ok.checks)
    wrong = VerifyOptions(now=NOW, recipient_email="someone@example.com")
    assert _failing(verify_document(signed, name="c", options=wrong)) == {"recipient"}


def test_embedded_endorsement_is_verified() -> None:
    key, endorser = _key(9), _key(10)
    document = _credential(key)
    endorsement = build_endorsement(
        issuer=endorser.controller or "",
        subject_id=document["credentialSubject"]["achievement"]["id"],
        name="Endorsed by the Data Guild",
        comment="Meets industry expectations.",
    )
    signed_endorsement = sign_credential(endorsement, endorser)
    document["credentialSubject"]["achievement"]["endorsement"] = [signed_endorsement]
    signed = sign_credential(document, key)
    report = verify_document(signed, name="c", options=VerifyOptions(now=NOW))
    assert report.verified, report.to_json()
    assert [c.check for c in report.checks].count("endorsement") == 1
    forged = copy.deepcopy(document)
    forged["credentialSubject"]["achievement"]["endorsement"][0]["name"] = "Endorsed by nobody"
    report = verify_document(sign_credential(forged, key), name="c", options=VerifyOptions(now=NOW))
    assert _failing(report) == {"endorsement"}
