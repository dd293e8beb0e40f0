"""Checks that need neither keys nor network: validity period, recipient, VC shape, input decoding."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from microcred.core.errors import InputError
from microcred.core.verify import checks
from microcred.core.verify.inputs import decode_bytes, decode_text
from microcred.core.verify.report import VerificationReport

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _doc(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:learner"},
    }
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("fields", "ok", "words"),
    [
        ({"validFrom": "2020-01-01T00:00:00Z"}, True, "no expiry"),
        (
            {"validFrom": "2020-01-01T00:00:00Z", "validUntil": "2030-01-01T00:00:00Z"},
            True,
            "until 2030",
        ),
        (
            {"validFrom": "2020-01-01T00:00:00Z", "validUntil": "2021-01-01T00:00:00Z"},
            False,
            "Expired on 2021",
        ),
        ({"validFrom": "2027-01-01T00:00:00Z"}, False, "Not yet valid"),
        ({"validFrom": "yesterday"}, False, "not a valid date-time"),
        (
            {"issuanceDate": "2019-01-01T00:00:00Z", "expirationDate": "2020-01-01T00:00:00Z"},
            False,
            "Expired",
        ),
        ({"issuanceDate": "2019-01-01T00:00:00Z"}, True, "Valid since 2019"),
        ({"validFrom": "2026-11-28T13:00:00+02:00"}, True, "Valid since"),
    ],
)
def test_validity_period(fields: dict[str, object], ok: bool, words: str) -> None:
    result = checks.check_validity(_doc(**fields), NOW)
    assert (result.check, result.ok) == ("validity", ok)
    assert words in result.message


def test_jwt_claims_expiry_and_not_before() -> None:
    assert checks.check_jwt_claims({"exp": NOW.timestamp() - 10}, NOW) is not None
    assert checks.check_jwt_claims({"nbf": NOW.timestamp() + 10}, NOW) is not None
    assert (
        checks.check_jwt_claims({"nbf": NOW.timestamp() - 10, "exp": NOW.timestamp() + 10}, NOW)
        is None
    )


def test_recipient_hashed_email_matches_spec_example() -> None:
    # The OB 3.0 IdentityHash example: sha256("a@example.com" + "Kosher").
    digest = hashlib.sha256(b"a@example.comKosher").hexdigest()
    identifier = {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "salt": "Kosher",
    }
    document = _doc(credentialSubject={"type": ["AchievementSubject"], "identifier": [identifier]})
    assert checks.check_recipient(document, email="a@example.com", subject_id=None).ok
    assert checks.check_recipient(document, email=" A@Example.com ", subject_id=None).ok
    wrong = checks.check_recipient(document, email="b@example.com", subject_id=None)
    assert not wrong.ok and "b@example.com" in wrong.message


def test_recipient_by_subject_id() -> None:
    assert checks.check_recipient(_doc(), email=None, subject_id="did:example:learner").ok
    assert not checks.check_recipient(_doc(), email=None, subject_id="did:example:other").ok


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"@context": ["https://example.org/ctx"]}, "@context must start with"),
        ({"type": ["Thing"]}, "VerifiableCredential"),
        ({"issuer": None}, "issuer is missing"),
        ({"credentialSubject": None}, "credentialSubject is missing"),
        ({"@context": ["https://www.w3.org/2018/credentials/v1"]}, "issuanceDate is missing"),
    ],
)
def test_structure_names_the_problem(fields: dict[str, object], words: str) -> None:
    result = checks.check_structure(_doc(**fields))
    assert not result.ok and words in result.message


def test_plain_vc_is_well_formed() -> None:
    result = checks.check_structure(_doc())
    assert result.ok and "W3C Verifiable Credential" in result.message


def test_report_json_shape_and_verdict() -> None:
    report = VerificationReport("x.json")
    assert not report.verified  # no checks: nothing was shown to hold
    report.add("structure", True, "fine")
    assert report.verified
    report.add("status", False, "revoked")
    assert report.to_json() == {
        "input": "x.json",
        "verified": False,
        "kind": "credential",
        "overview": {},
        "checks": [
            {"check": "structure", "ok": True, "message": "fine"},
            {"check": "status", "ok": False, "message": "revoked"},
        ],
    }


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty input"),
        (b"hello", "not a credential"),
        (b"[1, 2]", "not a credential"),
        (b"{", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"{" * 100 + b"}" * 100, "not valid JSON"),
    ],
)
def test_unusable_inputs_are_named(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, where="in.json")
    assert words in str(caught.value) and "in.json" in str(caught.value)


def test_deep_nesting_and_size_limits() -> None:
    deep = '{"a":' * 70 + "1" + "}" * 70
    with pytest.raises(InputError, match="nesting deeper"):
        decode_text(deep)
    big = '{"a": "' + "x" * (3 * 1024 * 1024) + '"}'
    with pytest.raises(InputError, match="over the"):
        decode_text(big)


def test_vc_jwt_payload_styles() -> None:
    import base64
    import json

    def b64(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    header = b64({"alg": "EdDSA"})
    direct = decode_text(f"{header}.{b64(_doc())}.sig")
    wrapped = decode_text(f"{header}.{b64({'iss': 'x', 'vc': _doc()})}.sig")
    assert direct.encoding == wrapped.encoding == "jwt"
    assert direct.document == wrapped.document == _doc()


def test_a_stored_report_reads_back_with_its_codes() -> None:
    report = VerificationReport("a.json", kind="credential", overview={"issuer": "Uni"})
    report.add("proof", True, "eddsa-rdfc-2022: signature verified")
    report.add("status", False, "Revoked: the issuer has revoked it.", "revoked")
    again = VerificationReport.from_json(report.to_json(), credential={"id": "urn:x"})
    assert again.checks == report.checks and again.to_json() == report.to_json()
    assert again.credential == {"id": "urn:x"} and not again.verified
