"""Verifiable Presentations: the holder's proof, its challenge and domain, each credential.

The holder key is the W3C vc-di-eddsa test key (keyPair.json); the credentials are 1EdTech
validator fixtures whose keys the offline options know, so each inner verdict is the
fixture's own.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.presentations import (
    ENVELOPE_PREFIX,
    envelope_jwt,
    jwt_of_envelope,
    sign_presentation,
)
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.errors import InputError, SigningError
from microcred.core.verify.entry import verify_any
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import verify_bytes
from tests.conftest import EXAMPLES, VECTORS
from tests.verify.fixtures import offline_options

HOLDER = Ed25519KeyPair.from_multikey(
    json.loads((VECTORS / "vc-di-eddsa" / "keyPair.json").read_text(encoding="utf-8"))
)
OB3 = json.loads((EXAMPLES / "ob_v3p0/validator/simple.json").read_text(encoding="utf-8"))
CLR_JWT = (EXAMPLES / "clr_v2p0/validator/simple.jwt").read_text(encoding="utf-8").strip()
CREATED = "2026-11-01T10:00:00Z"


def _vp(credentials: list[Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("challenge", "nonce-123")
    kwargs.setdefault("domain", "verifier.example")
    return sign_presentation(
        credentials if credentials is not None else [OB3, CLR_JWT],
        HOLDER,
        holder=HOLDER.controller,
        created=CREATED,
        **kwargs,
    )


def _verify(vp: dict[str, Any], **options: Any) -> list[VerificationReport]:
    data = json.dumps(vp).encode()
    return verify_any(data, name="vp.json", options=offline_options(**options))


def _failed(report: VerificationReport) -> set[str]:
    return {check.check for check in report.failed()}


def test_presentation_shape_follows_vc_2_0() -> None:
    vp = _vp()
    assert vp["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert vp["type"] == ["VerifiablePresentation"] and vp["holder"] == HOLDER.controller
    proof = vp["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "authentication"
    assert (proof["challenge"], proof["domain"]) == ("nonce-123", "verifier.example")
    assert proof["verificationMethod"] == HOLDER.id
    enveloped = vp["verifiableCredential"][1]
    assert enveloped["type"] == "EnvelopedVerifiableCredential"
    assert enveloped["id"] == ENVELOPE_PREFIX + CLR_JWT


def test_valid_presentation_gives_one_report_per_credential() -> None:
    reports = _verify(_vp(), challenge="nonce-123", domain="verifier.example")
    assert [r.input for r in reports] == [
        "vp.json",
        "vp.json › credential 1",
        "vp.json › credential 2",
    ]
    assert [r.kind for r in reports] == ["presentation", "credential", "credential"]
    assert all(r.verified for r in reports), [r.failed() for r in reports]
    assert reports[0].overview["holder"] == HOLDER.controller
    assert reports[1].overview["achievement"] == "Teamwork"
    assert reports[2].overview["issuer"] == "Example University"


def test_inner_credentials_get_the_standalone_verdict() -> None:
    inner = _verify(_vp())[1]
    alone = verify_bytes(json.dumps(OB3).encode(), name="x", options=offline_options())
    assert [c.to_json() for c in inner.checks] == [c.to_json() for c in alone.checks]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (
            {"challenge": "another-nonce"},
            "challenge 'nonce-123' is not the expected 'another-nonce'",
        ),
        ({"challenge": "nonce-123", "domain": "evil.example"}, "domain 'verifier.example'"),
    ],
)
def test_wrong_challenge_or_domain_is_refused(options: dict[str, str], words: str) -> None:
    report = _verify(_vp(), **options)[0]
    assert not report.verified and _failed(report) == {"challenge"}
    assert words in report.failed()[0].message


def test_without_expected_challenge_the_report_warns_of_replay() -> None:
    report = _verify(_vp())[0]
    message = next(c.message for c in report.checks if c.check == "challenge")
    assert report.verified and "may be replayed" in message


def test_key_not_controlled_by_the_holder_is_refused() -> None:
    # Mallory signs a presentation naming the learner as holder, with her own key.
    mallory = Ed25519KeyPair.from_seed(b"m" * 32)
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.controller,
        "verifiableCredential": [OB3],
    }
    forged = sign_credential(
        unsigned, mallory, proof_purpose="authentication", challenge="c", check_issuer=False
    )
    report = _verify(forged, challenge="c")[0]
    assert _failed(report) == {"holder"}
    assert mallory.controller in report.failed()[0].message


def test_signing_refuses_a_key_of_someone_else() -> None:
    with pytest.raises(SigningError, match="not to did:example:someone"):
        sign_presentation([OB3], HOLDER, holder="did:example:someone", challenge="c")


def test_tampered_credential_inside_fails_that_credential_and_the_presentation() -> None:
    tampered = {**OB3, "name": "Teamwork Badge (with honours)"}
    reports = _verify(_vp([tampered, CLR_JWT]), challenge="nonce-123")
    presentation, first, second = reports
    assert _failed(presentation) == {"credentials"}  # the holder's own proof holds
    assert "credential 1" in presentation.failed()[0].message
    assert _failed(first) == {"proof"} and "does not match" in first.failed()[0].message
    assert second.verified


def test_presentation_changed_after_signing_fails_its_proof() -> None:
    vp = _vp()
    vp["verifiableCredential"] = vp["verifiableCredential"][:1]  # drop one credential
    report = _verify(vp, challenge="nonce-123")[0]
    assert "proof" in _failed(report)


def test_assertion_purpose_is_not_authentication() -> None:
    unsigned = {k: v for k, v in _vp().items() if k != "proof"}
    signed = sign_credential(unsigned, HOLDER, proof_purpose="assertionMethod", check_issuer=False)
    report = _verify(signed)[0]
    assert "proof" in _failed(report) and "authentication" in report.failed()[0].message


def test_unsigned_presentation_says_so() -> None:
    unsigned = {k: v for k, v in _vp().items() if k != "proof"}
    report = _verify(unsigned)[0]
    assert "proof" in _failed(report)
    assert "no proof" in next(c.message for c in report.failed() if c.check == "proof")


def test_bare_jwt_strings_of_vc_1_1_presentations_are_read() -> None:
    vp = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.controller,
        "verifiableCredential": [CLR_JWT],
    }
    reports = _verify(vp)
    assert reports[1].verified and reports[1].overview["issuer"] == "Example University"


def test_garbage_inside_is_reported_not_raised() -> None:
    vp = {**_vp(), "verifiableCredential": [42, {"type": "EnvelopedVerifiableCredential"}]}
    reports = _verify(vp)
    assert [r.verified for r in reports] == [False, False, False]
    assert "Unusable credential" in reports[1].checks[0].message


def test_verify_bytes_gives_the_presentation_report() -> None:
    data = json.dumps(_vp()).encode()
    report = verify_bytes(data, name="vp.json", options=offline_options(challenge="nonce-123"))
    assert report.kind == "presentation" and report.verified


def test_envelope_round_trip_and_refusals() -> None:
    assert jwt_of_envelope(envelope_jwt(CLR_JWT)) == CLR_JWT
    assert jwt_of_envelope({"id": "data:text/plain,hello"}) is None
    with pytest.raises(InputError, match="no proof"):
        sign_presentation(
            [{k: v for k, v in OB3.items() if k != "proof"}],
            HOLDER,
            holder=HOLDER.controller,
            challenge="c",
        )
    with pytest.raises(SigningError, match="challenge"):
        sign_presentation([OB3], HOLDER, holder=HOLDER.controller, challenge="")
