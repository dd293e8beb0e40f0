"""The plain-language report: the verdict and its words for every kind of outcome, and the
issuer trust line (known, suspended, unknown, and not consulted when the signature fails)."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.core.verify.report import CheckResult, VerificationReport
from microcred.verification.reports import Verdict, holder_of, present

ISSUER = "did:web:example.edu"


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "name": "Example University"},
        "validFrom": "2025-03-03T09:00:00Z",
        "credentialSubject": {
            "name": "Ana",
            "achievement": {"name": "SQL Basics", "description": "Queries tables."},
        },
    }
    document.update(changes)
    return document


GOOD = [
    CheckResult("structure", True, "Well-formed: an Open Badges 3.0 credential."),
    CheckResult("proof", True, "eddsa-rdfc-2022 signature verified with did:web:example.edu#1"),
    CheckResult("issuer", True, "Signed with did:web:example.edu#1, a key of the issuer."),
    CheckResult("validity", True, "Valid since 2025-03-03 09:00 UTC, with no expiry date."),
    CheckResult("status", True, "Not revoked (index 3 of https://example.edu/status/1)."),
]


def _report(*replaced: CheckResult, document: dict[str, Any] | None = None) -> Any:
    checks = [next((r for r in replaced if r.check == c.check), c) for c in GOOD]
    report = VerificationReport("a.json", checks, credential=document or _document())
    return present(report)


CASES = {
    Verdict.VALID: (
        (),
        "Example University says Ana completed SQL Basics on 3 March 2025.",
    ),
    Verdict.EXPIRED: (
        (CheckResult("validity", False, "Expired on 2025-06-30 00:00 UTC.", "expired"),),
        "Example University says Ana completed SQL Basics on 3 March 2025, but the credential "
        "expired on 30 June 2025.",
    ),
    Verdict.REVOKED: (
        (
            CheckResult(
                "status", False, "Revoked: the issuer has revoked this credential.", "revoked"
            ),
        ),
        "Example University has revoked “SQL Basics”, which it issued to Ana.",
    ),
    Verdict.SUSPENDED: (
        (
            CheckResult(
                "status", False, "Suspended: the issuer has suspended this credential.", "suspended"
            ),
        ),
        "Example University has suspended “SQL Basics”, which it issued to Ana.",
    ),
    Verdict.BAD_SIGNATURE: (
        (CheckResult("proof", False, "eddsa-rdfc-2022: signature does not match."),),
        "This claims that Example University awarded SQL Basics to Ana, but the signature does "
        "not hold: it was changed after signing or not signed by that issuer.",
    ),
    Verdict.NOT_VALID: (
        (
            CheckResult(
                "status",
                False,
                "Status list unreachable, so revocation is unknown: x",
                "status-unknown",
            ),
        ),
        "Example University says Ana completed SQL Basics on 3 March 2025, but it cannot be "
        "accepted: status list unreachable, so revocation is unknown: x",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("verdict", list(CASES), ids=lambda v: v.key)
def test_each_verdict_has_its_words(verdict: Verdict) -> None:
    replaced, headline = CASES[verdict]
    ends = {"validUntil": "2025-06-30T00:00:00Z"} if verdict is Verdict.EXPIRED else {}
    plain = _report(*replaced, document=_document(**ends))
    assert (plain.verdict, plain.headline) == (verdict, headline)
    assert plain.verdict.label in {
        "Valid", "Not valid", "Expired", "Suspended", "Revoked", "Signature does not hold",
    }  # fmt: skip
    assert (plain.issued, plain.holder, plain.achievement) == ("3 March 2025", "Ana", "SQL Basics")
    assert [line.label for line in plain.checks] == [
        "Format", "Signature", "Issuer's key", "Dates", "Revocation and suspension",
    ]  # fmt: skip
    assert plain.signature.startswith(
        "Does not hold" if verdict is Verdict.BAD_SIGNATURE else "Holds"
    )


@pytest.mark.django_db
def test_status_and_expiry_lines() -> None:
    revoked = _report(
        CheckResult("status", False, "Revoked: the issuer has revoked it.", "revoked")
    )
    assert revoked.status == "Revoked by the issuer: it is no longer valid."
    assert _report().status.startswith("Not revoked or suspended")
    expiring = _report(document=_document(validUntil="2030-01-31T00:00:00Z"))
    assert expiring.expires == "31 January 2030"


@pytest.mark.django_db
def test_unusable_input() -> None:
    report = VerificationReport("notes.txt")
    report.add("structure", False, "Unusable input: not a credential: expected JSON, a JWT")
    plain = present(report)
    assert plain.verdict is Verdict.UNUSABLE and plain.verdict.label == "Unusable input"
    assert plain.headline == (
        "This is not a credential that can be checked: not a credential: expected JSON, a JWT."
    )
    assert plain.trust.kind == "none"


@pytest.mark.django_db
def test_json_that_is_no_credential_is_unusable_not_a_bad_signature() -> None:
    checks = [
        CheckResult("structure", False, "Not a valid Open Badge: 'type' is required"),
        CheckResult("proof", False, "The credential has no proof."),
    ]
    plain = present(VerificationReport("x.json", checks, credential={"hello": "world"}))
    assert plain.verdict is Verdict.UNUSABLE


@pytest.mark.django_db
def test_an_unresolvable_key_is_not_called_a_forgery() -> None:
    plain = _report(
        CheckResult(
            "issuer", False, "Issuer key could not be resolved offline: timeout", "key-unavailable"
        ),
        CheckResult(
            "proof", False, "eddsa-rdfc-2022: signature not checked, the key is unavailable.",
            "key-unavailable",
        ),
    )  # fmt: skip
    assert plain.verdict is Verdict.NOT_VALID
    assert plain.signature.startswith("Not checked:")
    # The same failure without the code is a signature that does not hold.
    forged = _report(CheckResult("proof", False, "eddsa-rdfc-2022: signature does not match."))
    assert forged.verdict is Verdict.BAD_SIGNATURE


def test_holder_in_the_clear_or_described() -> None:
    plain = {"identifier": [{"identityHash": "ana@example.org", "hashed": False}]}
    hashed = {"identifier": [{"identityHash": "sha256$ab", "hashed": True}]}
    assert holder_of({"credentialSubject": plain}) == "ana@example.org"
    assert holder_of({"credentialSubject": hashed}) == (
        "a holder identified by a hashed email address"
    )
    assert (
        holder_of({"credentialSubject": {"id": "did:key:z6Mk1"}}) == "the holder of did:key:z6Mk1"
    )


# ------------------------------------------------------------------------------ trust


def test_known_issuer_is_named_with_who_vetted_it(make_issuer: Any) -> None:
    make_issuer("Example University", dids=[ISSUER], vetted_by="NVAO")
    trust = _report().trust
    assert trust.kind == "known"
    assert trust.text == "Known issuer: Example University, vetted by NVAO (accreditation body)."


def test_known_by_the_did_web_host(make_issuer: Any) -> None:
    make_issuer("Example University", domains=["example.edu"], vetted_by="NVAO")
    assert _report().trust.kind == "known"


def test_suspended_entry_says_so(make_issuer: Any, operator: Any) -> None:
    from microcred.verification import services

    entry = make_issuer("Example University", dids=[ISSUER])
    services.suspend(actor=operator, issuer=entry)
    trust = _report().trust
    assert trust.kind == "suspended"
    assert trust.text.startswith("Registry entry suspended: Example University")


@pytest.mark.django_db
def test_unknown_issuer() -> None:
    trust = _report().trust
    assert (trust.kind, trust.text) == (
        "unknown",
        "Unknown issuer: not in this platform's trust registry.",
    )


def test_a_self_asserted_url_earns_no_trust(make_issuer: Any) -> None:
    """The issuer profile may claim any url: only the id (DID or its host) counts."""
    make_issuer("Example University", domains=["example.edu"])
    forged = _document(issuer={"id": "did:key:z6MkAttacker", "url": "https://example.edu"})
    assert _report(document=forged).trust.kind == "unknown"


def test_registry_is_not_consulted_when_the_signature_fails(make_issuer: Any) -> None:
    make_issuer("Example University", dids=[ISSUER])
    plain = _report(CheckResult("proof", False, "eddsa-rdfc-2022: signature does not match."))
    assert plain.trust.kind == "unconfirmed"
    assert "Known issuer" not in plain.trust.text
