"""Every shared fixture gets the verdict its name and the standards README imply.

Offline: keys come from the 1EdTech fixtures' own verification-method fragments (the
`--keys` a tester builds), the 1EdTech status list and DCC did:web documents from a
StaticFetcher. What cannot be had offline (remote status lists, unpublished keys) must
fail on exactly the check that needed it, saying so.
"""

from __future__ import annotations

import pytest

from microcred.core.verify.entry import verify_any
from microcred.core.verify.verifier import verify_bytes
from tests.conftest import SHARED
from tests.verify.fixtures import offline_options

NONE: frozenset[str] = frozenset()
# Decisions behind some verdicts (see docs/verification.md):
# - simple-did-key-method, CLR complex and the W3C vectors are signed with a key whose
#   controller is not the credential's issuer: the proof holds, the issuer check fails.
# - The DCC "revokedStatus" lists live on remote hosts: status fails as unreachable.
# - OB 2.0: the assets are served at their ids (fixtures.add_ob2_assets). The baked PNG is
#   the hosted basic assertion without its optional evidence: valid. assertion-with-
#   endorsements has the same id as basic-assertion but another badge: the hosted copy at
#   that id contradicts it (proof). simple-revoked.jwt's key, badge class and issuer are not
#   among the shared assets (see tests/verify/test_ob2.py for it with them); the assets
#   themselves are not assertions (structure).
# - ELM: the signed sample is an X.509 seal in JWS JSON serialization (unsupported, structure);
#   the others have no proof, and credential-sample uses the EDC context, which is not bundled.
EXPECTED = [
    ("examples/ob_v2p0/validator/simple-badge.png", NONE),
    ("examples/ob_v3p0/validator/simple-json.png", NONE),
    ("examples/ob_v3p0/validator/simple-json.svg", NONE),
    ("examples/ob_v3p0/validator/simple-jwt.png", NONE),
    ("examples/ob_v3p0/validator/simple-jwt.svg", NONE),
    (
        "examples/bitstring_status_list/01-example-statuslistcredential-using-simple-entries.json",
        {"proof", "status"},
    ),
    ("examples/bitstring_status_list/02-example-bitstringstatuslistcredential.json", {"proof"}),
    (
        "examples/bitstring_status_list/03-a-revocable-verifiable-credential.json",
        {"proof", "status"},
    ),
    ("examples/bitstring_status_list/04-a-status-list-verifiable-credential.json", {"proof"}),
    ("examples/clr_v2p0/validator/complex.json", {"issuer"}),
    ("examples/clr_v2p0/validator/simple-noproof.json", {"proof", "structure"}),
    ("examples/clr_v2p0/validator/simple.json", NONE),
    ("examples/clr_v2p0/validator/simple.jwt", NONE),
    ("examples/clr_v2p0/validator/simple_v1.json", {"issuer", "proof"}),
    ("examples/dcc/mit-learn-obv3-template/certificates/courseCertificate.json", NONE),
    ("examples/dcc/mit-learn-obv3-template/certificates/moduleCertificate.json", NONE),
    ("examples/dcc/mit-learn-obv3-template/certificates/programCertificate.json", NONE),
    ("DCC/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json", NONE),
    ("DCC/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json", NONE),
    ("DCC/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement-withSchema.json", NONE),
    ("DCC/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json", NONE),
    ("DCC/bothSignatureTypes/didkey/noRegistry-revokedStatus-expired.json", {"status", "validity"}),
    ("DCC/bothSignatureTypes/didkey/noRegistry-revokedStatus-notExpired.json", {"status"}),
    ("DCC/bothSignatureTypes/didkey/oidf-revokedStatus-noExpiry.json", {"status"}),
    ("DCC/bothSignatureTypes/didweb/legacy-revokedStatus-expired.json", {"status", "validity"}),
    ("DCC/bothSignatureTypes/didweb/legacy-revokedStatus-noExpiry.json", {"status"}),
    ("DCC/bothSignatureTypes/didweb/oidf-noStatus-notExpired.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json", NONE),
    (
        "DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json",
        NONE,
    ),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-minimal.json", NONE),
    ("DCC/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json", NONE),
    (
        "DCC/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json",
        {"status", "validity"},
    ),
    ("DCC/dataIntegrityProof/didKey/noRegsitry-revokedStatus-notExpired.json", {"status"}),
    ("DCC/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json", NONE),
    ("DCC/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json", {"validity"}),
    ("DCC/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json", {"status"}),
    (
        "DCC/dataIntegrityProof/didKey/twoOIDF-revoked-notExpired-badSchema.json",
        {"status", "structure"},
    ),
    ("DCC/dataIntegrityProof/didKey/twoOIDF-validStatus-expired.json", {"status", "validity"}),
    ("DCC/dataIntegrityProof/didweb/legacy-revokedStatus-expired.json", {"status", "validity"}),
    ("DCC/dataIntegrityProof/didweb/legacy-revokedStatus-noExpiry.json", {"status"}),
    ("DCC/dataIntegrityProof/didweb/oidf-noStatus-notExpired.json", NONE),
    ("DCC/ed25519/didKey/legacy-expiredStatus-noExpiry.json", {"status"}),
    ("DCC/ed25519/didKey/legacy-missingTypeStatus-noExpiry.json", {"status"}),
    ("DCC/ed25519/didKey/legacy-noStatus-expired.json", {"validity"}),
    ("DCC/ed25519/didKey/legacy-noStatus-noExpiry-lcwExperience.json", NONE),
    ("DCC/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json", NONE),
    ("DCC/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json", {"proof"}),
    ("DCC/ed25519/didKey/legacy-noStatus-noExpiry.json", NONE),
    ("DCC/ed25519/didKey/legacy-notYetValidStatus-noExpiry.json", {"status"}),
    ("DCC/ed25519/didKey/legacy-tamperedStatus-noExpiry.json", {"status"}),
    ("DCC/ed25519/didKey/noRegistry-revokedStatus-expired.json", {"status", "validity"}),
    ("DCC/ed25519/didKey/noRegistry-revokedStatus-notExpired.json", {"status"}),
    ("DCC/ed25519/didKey/oidf-revokedStatus-noExpiry.json", {"status"}),
    ("DCC/ed25519/didWeb/badDidWeb.json", {"issuer", "proof"}),
    ("DCC/ed25519/didWeb/legacy-revokedStatus-expired.json", {"status", "validity"}),
    ("DCC/ed25519/didWeb/legacy-revokedStatus-noExpiry.json", {"status"}),
    ("DCC/ed25519/didWeb/oidf-noStatus-notExpired.json", NONE),
    ("examples/ob_v2p0/validator/assertion-with-endorsements.json", {"proof"}),
    ("examples/ob_v2p0/validator/basic-assertion.json", NONE),
    ("examples/ob_v2p0/validator/simple-revoked.jwt", {"issuer", "proof", "status"}),
    ("examples/ob_v2p0/validator/simple.jwt", NONE),
    ("examples/ob_v2p0/validator/assets-badgeclass1.json", {"structure"}),
    ("examples/ob_v2p0/validator/assets-endorsement-1.json", {"structure"}),
    ("examples/ob_v2p0/validator/assets-issuer1.json", {"structure"}),
    ("examples/ob_v2p0/validator/assets-key1.json", {"structure"}),
    ("examples/ob_v2p0/validator/assets-organization.json", {"structure"}),
    ("examples/ob_v2p0/validator/assets-revocation-list.json", {"structure"}),
    ("examples/ob_v2p0/validator/assets-robotics-badge.json", {"structure"}),
    ("examples/elm_v3/Sample-MC-Annex1-signed.jsonld", {"structure"}),
    ("examples/elm_v3/Sample-MC-Annex1-unsigned.jsonld", {"proof", "structure"}),
    ("examples/elm_v3/credential-sample.jsonld", {"proof", "structure", "validity"}),
    ("examples/ob_v3p0/spec/achievementAlignmentCase.json", {"proof"}),
    ("examples/ob_v3p0/spec/achievementAlignmentCe.json", {"proof"}),
    ("examples/ob_v3p0/spec/basicOpenBadgeCredential.json", {"proof"}),
    ("examples/ob_v3p0/spec/endorsement.json", {"proof", "status"}),
    ("examples/ob_v3p0/spec/fullOpenBadge.json", {"endorsement", "proof", "status"}),
    ("examples/ob_v3p0/spec/skillAssertionCase.json", {"proof"}),
    ("examples/ob_v3p0/spec/skillAssertionCtdl.json", {"proof"}),
    (
        "examples/ob_v3p0/validator/bit-string-list-credential-status-revoked-blank-nodes.json",
        {"status"},
    ),
    ("examples/ob_v3p0/validator/bit-string-list-credential-status-revoked.json", {"status"}),
    ("examples/ob_v3p0/validator/complete.json", {"endorsement", "status"}),
    (
        "examples/ob_v3p0/validator/complete_v1.json",
        {"endorsement", "issuer", "proof", "status", "structure", "validity"},
    ),
    ("examples/ob_v3p0/validator/credential-status-revoked.json", {"issuer", "proof", "status"}),
    ("examples/ob_v3p0/validator/endorsement-valid.json", NONE),
    ("examples/ob_v3p0/validator/sd-derivedcredential.json", {"proof"}),
    ("examples/ob_v3p0/validator/simple-did-key-method.json", {"issuer"}),
    ("examples/ob_v3p0/validator/simple-did-web-method.json", NONE),
    ("examples/ob_v3p0/validator/simple-eddsa-2022.json", NONE),
    ("examples/ob_v3p0/validator/simple-err-expired.json", {"validity"}),
    ("examples/ob_v3p0/validator/simple-err-proof-value.json", {"proof"}),
    ("examples/ob_v3p0/validator/simple-err-type.json", {"proof", "structure"}),
    ("examples/ob_v3p0/validator/simple-multiple-proofs.json", NONE),
    ("examples/ob_v3p0/validator/simple-noproof.json", {"proof", "structure"}),
    ("examples/ob_v3p0/validator/simple.json", NONE),
    ("examples/ob_v3p0/validator/simple.jwt", {"issuer", "proof", "structure"}),
    ("examples/ob_v3p0/validator/simple_v1.json", NONE),
    ("examples/ob_v3p0/validator/velocity.jwt", {"issuer", "proof", "status"}),
    ("vectors/1edtech-clrv2p0-eddsa-rdfc-2022/signed.json", NONE),
    ("vectors/1edtech-obv3p0-eddsa-rdfc-2022/signed.json", NONE),
    ("vectors/vc-di-eddsa/Ed25519Signature2020/signedEdSig.json", {"issuer"}),
    ("vectors/vc-di-eddsa/eddsa-jcs-2022/signedJCS.json", {"issuer"}),
    ("vectors/vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json", {"issuer"}),
    ("vectors/vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json", {"issuer"}),
    ("vectors/vc-di-eddsa/proof-set-chain/signedProofChain1.json", {"issuer"}),
    ("vectors/vc-di-eddsa/proof-set-chain/signedProofChain2.json", {"issuer"}),
    ("vectors/vc-di-eddsa/proof-set-chain/signedProofSet1.json", {"issuer"}),
    ("vectors/vc-di-eddsa/proof-set-chain/signedProofSet2.json", {"issuer"}),
]

_OPTIONS = offline_options()


def _path(relative: str):  # type: ignore[no-untyped-def]
    relative = relative.replace("DCC/", "examples/dcc/vc-test-fixtures/verifiableCredentials/v2/")
    return SHARED / "standards" / relative


@pytest.mark.parametrize(("relative", "failing"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_fixture_verdict(relative: str, failing: set[str]) -> None:
    data = _path(relative).read_bytes()
    report = verify_bytes(data, name=relative, options=_OPTIONS)
    assert {check.check for check in report.failed()} == set(failing)
    assert report.verified is (not failing)
    assert all(check.message for check in report.checks)
    # The one entry point agrees: one report, the same verdict, and a summary-table row.
    (whole,) = verify_any(data, name=relative, options=_OPTIONS)
    assert [c.to_json() for c in whole.checks] == [c.to_json() for c in report.checks]
    assert set(whole.overview) == {"holder", "achievement", "issuer", "issued"}


def test_every_shared_example_has_a_verdict() -> None:
    """A fixture added to ../shared/standards/examples must get a row in EXPECTED."""
    listed = {_path(relative) for relative, _ in EXPECTED}
    examples = SHARED / "standards" / "examples"
    files = {
        path
        for path in examples.rglob("*")
        if path.is_file() and path.suffix != ".md" and "dids" not in path.parts
    }
    assert files - listed == set()


def _messages(relative: str, check: str) -> str:
    report = verify_bytes(_path(relative).read_bytes(), name=relative, options=_OPTIONS)
    return " | ".join(c.message for c in report.checks if c.check == check)


def test_revoked_status_says_revoked() -> None:
    text = _messages(
        "examples/ob_v3p0/validator/bit-string-list-credential-status-revoked.json", "status"
    )
    assert "Revoked" in text and "index 23" in text


def test_remote_status_list_is_reported_unreachable() -> None:
    text = _messages("DCC/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json", "status")
    assert "unreachable" in text


def test_unpublished_key_is_reported_as_unresolvable_offline() -> None:
    text = _messages("examples/ob_v3p0/validator/credential-status-revoked.json", "issuer")
    assert "could not be resolved offline" in text


def test_tampered_fixture_fails_on_the_signature() -> None:
    text = _messages("DCC/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json", "proof")
    assert "does not match" in text


def test_unsigned_examples_say_no_proof() -> None:
    text = _messages("examples/ob_v3p0/spec/basicOpenBadgeCredential.json", "proof")
    assert "has no proof" in text


def test_eidas_sealed_elm_is_named_as_unsupported() -> None:
    text = _messages("examples/elm_v3/Sample-MC-Annex1-signed.jsonld", "structure")
    assert "JWS in JSON serialization" in text and "eIDAS" in text


def test_ob2_assets_are_not_assertions() -> None:
    text = _messages("examples/ob_v2p0/validator/assets-key1.json", "structure")
    assert "CryptographicKey" in text and "not a badge assertion" in text


def test_issuer_binding_is_explained() -> None:
    text = _messages("examples/ob_v3p0/validator/simple-did-key-method.json", "issuer")
    assert "did:key:z6MkjZRZ" in text and "names urn:uuid:" in text


@pytest.mark.parametrize(
    ("relative", "codes"),
    [
        ("examples/ob_v3p0/validator/bit-string-list-credential-status-revoked.json",
         {("status", "revoked")}),
        ("DCC/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json",
         {("status", "status-unknown")}),
        ("DCC/ed25519/didKey/legacy-noStatus-expired.json", {("validity", "expired")}),
        ("examples/ob_v3p0/validator/credential-status-revoked.json",
         {("issuer", "key-unavailable"), ("proof", "key-unavailable"), ("status", "status-unknown")}),
        ("DCC/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json", {("proof", "")}),
    ],
)  # fmt: skip
def test_failures_carry_a_code_programs_can_rely_on(
    relative: str, codes: set[tuple[str, str]]
) -> None:
    """The portal and the wallet choose their verdict from these codes, not the wording."""
    report = verify_bytes(_path(relative).read_bytes(), name=relative, options=_OPTIONS)
    assert {(c.check, c.code) for c in report.failed()} == codes
    coded = [c.to_json() for c in report.failed() if c.code]
    assert all(item["code"] for item in coded)


def test_unusable_input_is_coded() -> None:
    report = verify_bytes(b"not a credential", name="x.txt", options=_OPTIONS)
    assert [(c.check, c.code) for c in report.checks] == [("structure", "unusable")]
