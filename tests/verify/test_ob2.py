"""Open Badges 2.0: hosted and signed assertions, issuer binding, revocation, expiry, recipient.

The 1EdTech validator fixtures are served at their ids by a StaticFetcher
(tests/verify/fixtures.add_ob2_assets). simple-revoked.jwt needs three documents that are
not among the shared assets; they are the validator's own test resources
(inspector-vc/src/test/resources/ob20/assets/{key3,organization-with-revocation-list,
badge-from-organization-with-revocation-list}.json), reproduced below.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from microcred.core.verify.entry import verify_any
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions
from tests.verify.fixtures import NOW, OB2, OB2_HOSTED_URL, add_ob2_assets

KEY3_PEM = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlxjYVv/2hAXO/D9b/Ifq\n"
    "g4n8TQCG3tq6JUyQPrhW27E9htH5UexdbOAAlzydQ5kYve3F8fhHuue/mjnKrMJn\n"
    "ajdTU4BBIPT4CJ3ZCCzKZf9OvMwobZT5P5QmkG1eVLOTGFs9BTvpbGQ7qugUbxHH\n"
    "XeHK/OoBnenKmLV0R4+KePe0oTcNToDQbx0uMZzNM9TRpnVBHlCXwYbFzw1js0Tt\n"
    "uT4M8MtKOoyNf+ZA8fcsSpmE7K1xDYOY7o9tZMFtGIQuhKlZyVpKpAu4KrhrZBJG\n"
    "J47zcxzrncQHmft3aL8qWNCtZ+fOa+/fPkjT+bPhCwHSkE9Xj8Q0AF1vmDNReun1\n"
    "hwIDAQAB\n"
    "-----END PUBLIC KEY-----"
)
ORG_WITH_LIST = "https://example.org/organization-with-revocation-list.json"
VALIDATOR_ASSETS: dict[str, dict[str, Any]] = {
    "http://example.org/key3.json": {
        "@context": "https://w3id.org/openbadges/v2",
        "id": "http://example.org/key3.json",
        "type": "CryptographicKey",
        "owner": ORG_WITH_LIST,
        "publicKeyPem": KEY3_PEM,
    },
    ORG_WITH_LIST: {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": ORG_WITH_LIST,
        "name": "An Example Badge Issuer",
        "url": "https://example.org",
        "email": "contact@example.org",
        "revocationList": "http://example.org/revocation-list.json",
        "publicKey": "http://example.org/key3.json",
    },
    "https://example.org/badge-from-organization-with-revocation-list.json": {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": "https://example.org/badge-from-organization-with-revocation-list.json",
        "name": "Awesome Robotics Badge",
        "description": "For doing awesome things with robots that people think is pretty great.",
        "image": "https://example.org/robotics-badge.png",
        "criteria": "http://example.com/badgecriteria.json",
        "issuer": ORG_WITH_LIST,
    },
}


def _fetcher(**extra: Any) -> StaticFetcher:
    fetcher = StaticFetcher()
    add_ob2_assets(fetcher)
    for url, document in extra.items():
        fetcher.add(url, json.dumps(document).encode())
    return fetcher


def _verify(data: bytes, fetcher: StaticFetcher, **options: Any) -> VerificationReport:
    (report,) = verify_any(
        data, name="badge", options=VerifyOptions(fetcher=fetcher, now=NOW, **options)
    )
    return report


def _failed(report: VerificationReport) -> dict[str, str]:
    return {c.check: c.message for c in report.failed()}


def _basic(**changes: Any) -> dict[str, Any]:
    document = json.loads((OB2 / "basic-assertion.json").read_text(encoding="utf-8"))
    document.update(changes)
    return document


def _hosted(document: dict[str, Any], **extra: Any) -> VerificationReport:
    """Verify ``document`` with the issuer hosting exactly it at its id."""
    fetcher = _fetcher(**extra)
    fetcher.add(document["id"], json.dumps(document).encode())
    return _verify(json.dumps(document).encode(), fetcher)


def test_hosted_assertion_verifies_and_describes_itself() -> None:
    report = _verify((OB2 / "basic-assertion.json").read_bytes(), _fetcher())
    assert report.verified and report.kind == "ob2"
    assert report.overview == {
        "holder": "hashed email",
        "achievement": "Awesome Robotics Badge",
        "issuer": "An Example Badge Issuer",
        "issued": "2016-12-31",
    }


def test_signed_assertion_verifies_with_the_creator_key() -> None:
    report = _verify((OB2 / "simple.jwt").read_bytes(), _fetcher())
    assert report.verified
    assert "RS256 signature verified" in report.checks[1].message


def test_signed_assertion_changed_after_signing_fails() -> None:
    header, payload, signature = (OB2 / "simple.jwt").read_text().strip().split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["issuedOn"] = "2015-01-01T00:00:00Z"
    forged_payload = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    report = _verify(f"{header}.{forged_payload}.{signature}".encode(), _fetcher())
    assert "signature does not match" in _failed(report)["proof"]


def test_revoked_signed_assertion_is_revoked_with_its_reason() -> None:
    report = _verify((OB2 / "simple-revoked.jwt").read_bytes(), _fetcher(**VALIDATOR_ASSETS))
    assert _failed(report) == {"status": "Revoked by the issuer: A good reason, for sure."}


def test_key_of_another_issuer_is_refused() -> None:
    # The badge class now names issuer1, but key1 belongs to organization.json.
    badgeclass1 = json.loads((OB2 / "assets-badgeclass1.json").read_text(encoding="utf-8"))
    report = _verify(
        (OB2 / "simple.jwt").read_bytes(),
        _fetcher(**{"https://example.org/robotics-badge.json": badgeclass1}),
    )
    assert "Signed with a key of https://example.org/organization.json" in _failed(report)["issuer"]


def test_hosted_copy_that_was_changed_fails() -> None:
    changed = _basic(issuedOn="2010-01-01T00:00:00Z")
    report = _verify(json.dumps(changed).encode(), _fetcher())
    assert "(issuedOn): it was changed" in _failed(report)["proof"]


def test_unreachable_hosted_assertion_is_not_confirmed() -> None:
    report = _verify((OB2 / "basic-assertion.json").read_bytes(), StaticFetcher())
    failed = _failed(report)
    assert "could not be fetched" in failed["proof"]
    assert "issuer cannot be confirmed" in failed["issuer"]
    assert not report.verified


@pytest.mark.parametrize(
    ("policy", "ok"),
    [
        ({"startsWith": "https://example.org/NOT"}, False),  # the validator's invalid case
        ({"startsWith": ["https://example.org/NOT", "https://example.org/beths"]}, True),
        ({"allowedOrigins": "badges.example.net"}, False),
        ({}, True),
    ],
)
def test_hosted_assertion_must_live_where_the_issuer_says(policy: dict[str, Any], ok: bool) -> None:
    issuer = {
        "@context": "https://w3id.org/openbadges/v2",
        "id": "https://example.org/issuer-with-policy.json",
        "type": "Issuer",
        "name": "Policy Issuer",
        "verification": policy,
    }
    badge = {"type": "BadgeClass", "name": "Policy badge", "issuer": issuer["id"]}
    report = _hosted(_basic(badge=badge), **{issuer["id"]: issuer})
    assert report.verified is ok
    if not ok:
        assert set(_failed(report)) == {"issuer"}


def test_hosted_on_another_host_than_the_issuer_fails() -> None:
    moved = _basic(id="https://badges.attacker.example/beth.json")
    report = _hosted(moved)
    assert "hosted on 'badges.attacker.example'" in _failed(report)["issuer"]


def test_hosted_copy_marked_revoked() -> None:
    report = _hosted(_basic(revoked=True, revocationReason="Issued in error"))
    assert _failed(report) == {"status": "Revoked by the issuer: Issued in error."}


def test_expired_assertion() -> None:
    report = _hosted(_basic(expires="2020-01-01T00:00:00Z"))
    assert _failed(report) == {"validity": "Expired on 2020-01-01 00:00 UTC."}


def test_recipient_hashed_and_plain() -> None:
    salt, email = "deadsea", "beth@example.org"
    digest = hashlib.sha256((email + salt).encode()).hexdigest()
    hashed = _basic(
        recipient={"type": "email", "hashed": True, "salt": salt, "identity": f"sha256${digest}"}
    )
    fetcher = _fetcher()
    fetcher.add(OB2_HOSTED_URL, json.dumps(hashed).encode())
    data = json.dumps(hashed).encode()
    assert _verify(data, fetcher, recipient_email="Beth@Example.org").verified
    other = _verify(data, fetcher, recipient_email="eve@example.org")
    assert _failed(other) == {"recipient": "Not issued to eve@example.org."}
    plain = _basic(recipient={"type": "email", "hashed": False, "identity": email})
    assert _hosted(plain).overview["holder"] == email
