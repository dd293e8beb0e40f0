"""Data Integrity cryptosuites: byte-for-byte reproduction of the published vectors, tampering."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import (
    BatchSigner,
    BatchVerifier,
    get_suite,
    sign_credential,
    suite_for_proof,
    verify_proof,
    verify_proofs,
)
from microcred.core.errors import ContextError, InputError, SigningError, UndefinedTermError
from microcred.core.verify.resolver import KeyResolver
from tests.conftest import EXAMPLES, VECTORS, read_json

W3C = VECTORS / "vc-di-eddsa"
OB = VECTORS / "1edtech-obv3p0-eddsa-rdfc-2022"
CLR = VECTORS / "1edtech-clrv2p0-eddsa-rdfc-2022"
W3C_KEY = Ed25519KeyPair.from_multikey(read_json(W3C / "keyPair.json"))


def _guide_key(folder: Path) -> Ed25519KeyPair:
    data = read_json(folder / "keys-and-hashes.json")
    seed = bytes.fromhex(data["secretKeyHex_seedThenPublic"])[:32]
    return Ed25519KeyPair.from_seed(
        seed, controller=data["controller"], id=data["verificationMethod"]
    )


def _first_proof(signed: dict[str, Any]) -> dict[str, Any]:
    proof = signed["proof"]
    return proof[0] if isinstance(proof, list) else proof


def _unsigned(signed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in signed.items() if k != "proof"}


# (signed file, key, suite name, where the intermediate hashes are)
VECTOR_CASES = [
    ("rdfc", W3C / "eddsa-rdfc-2022" / "signedDataInt.json", W3C_KEY, "eddsa-rdfc-2022"),
    (
        "rdfc-employ",
        W3C / "eddsa-rdfc-2022" / "employ" / "signedDataInt.json",
        W3C_KEY,
        "eddsa-rdfc-2022",
    ),
    ("jcs", W3C / "eddsa-jcs-2022" / "signedJCS.json", W3C_KEY, "eddsa-jcs-2022"),
    (
        "ed25519-2020",
        W3C / "Ed25519Signature2020" / "signedEdSig.json",
        W3C_KEY,
        "Ed25519Signature2020",
    ),
    ("1edtech-ob3", OB / "signed.json", _guide_key(OB), "eddsa-rdfc-2022"),
    ("1edtech-clr2", CLR / "signed.json", _guide_key(CLR), "eddsa-rdfc-2022"),
]


def _resolver_for(key: Ed25519KeyPair) -> KeyResolver:
    return KeyResolver(local_keys={key.id: key.to_multikey()})


@pytest.mark.parametrize(
    ("label", "path", "key", "suite"), VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES]
)
def test_signing_reproduces_the_published_proof_value(
    label: str, path: Path, key: Ed25519KeyPair, suite: str
) -> None:
    signed = read_json(path)
    expected = _first_proof(signed)
    ours = sign_credential(
        _unsigned(signed),
        key,
        suite=suite,
        created=expected["created"],
        verification_method=expected["verificationMethod"],
        check_issuer=False,  # the W3C vectors' issuers are not the signing key's controller
    )
    assert ours["proof"]["proofValue"] == expected["proofValue"]
    assert ours["proof"] == expected


@pytest.mark.parametrize(
    ("label", "path", "key", "suite"), VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES]
)
def test_published_vectors_verify(label: str, path: Path, key: Ed25519KeyPair, suite: str) -> None:
    signed = read_json(path)
    check = verify_proof(signed, _first_proof(signed), _resolver_for(key))
    assert check.ok, check.message
    assert check.cryptosuite == suite
    assert check.controller == key.controller


HASH_CASES = [
    (W3C / "eddsa-rdfc-2022", "DataInt", "signedDataInt.json"),
    (W3C / "eddsa-rdfc-2022" / "employ", "DataInt", "signedDataInt.json"),
    (W3C / "eddsa-jcs-2022", "JCS", "signedJCS.json"),
    (W3C / "Ed25519Signature2020", "EdSig", "signedEdSig.json"),
]


@pytest.mark.parametrize(
    ("folder", "tag", "signed_name"), HASH_CASES, ids=["rdfc", "employ", "jcs", "2020"]
)
def test_intermediate_hashes_match_the_w3c_files(folder: Path, tag: str, signed_name: str) -> None:
    signed = read_json(folder / signed_name)
    proof = _first_proof(signed)
    suite = suite_for_proof(proof)
    assert suite is not None
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    data = suite.hash_data(_unsigned(signed), options)
    text = (folder / f"{{}}{tag}.txt").as_posix()
    assert data[:32].hex() == Path(text.format("proofHash")).read_text().strip()
    assert data[32:].hex() == Path(text.format("docHash")).read_text().strip()
    assert data.hex() == Path(text.format("combinedHash")).read_text().strip()
    assert W3C_KEY.sign(data).hex() == Path(text.format("sigHex")).read_text().strip()


@pytest.mark.parametrize("folder", [OB, CLR], ids=["ob3", "clr2"])
def test_1edtech_hashes_and_canonical_forms(folder: Path) -> None:
    data = read_json(folder / "keys-and-hashes.json")
    suite = get_suite("eddsa-rdfc-2022")
    unsigned = read_json(folder / "unsigned.json")
    config = suite.proof_config(unsigned, read_json(folder / "proof-config.json"))
    assert suite.canonicalize(config).decode() == (folder / "proof-canon.nq").read_text()
    assert suite.canonicalize(unsigned).decode() == (folder / "document-canon.nq").read_text()
    hashed = suite.hash_data(unsigned, read_json(folder / "proof-config.json"))
    assert hashed.hex() == data["dataToSignHex_proofHashThenDocumentHash"]
    assert _guide_key(folder).sign(hashed).hex() == data["signatureHex"]


@pytest.mark.parametrize("name", ["signedProofSet2.json", "signedProofChain2.json"])
def test_w3c_proof_set_and_chain_verify(name: str) -> None:
    signed = read_json(W3C / "proof-set-chain" / name)
    checks = verify_proofs(signed, KeyResolver())
    assert len(checks) >= 2
    assert all(c.ok for c in checks), [c.message for c in checks]
    # a chained proof covers its predecessor: breaking the first breaks the chain
    broken = copy.deepcopy(signed)
    broken["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    results = [c.ok for c in verify_proofs(broken, KeyResolver())]
    assert results[0] is False
    if "Chain" in name:
        assert results[2] is False


def _fragment_keys(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The 1EdTech fixtures name the key in the VM fragment (as ../shared/interop does)."""
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    return {
        p["verificationMethod"]: {
            "type": "Multikey",
            "publicKeyMultibase": p["verificationMethod"].split("#")[1],
        }
        for p in proofs
        if "#z6Mk" in p.get("verificationMethod", "")
        and p["verificationMethod"].startswith("https")
    }


@pytest.mark.parametrize(
    ("name", "cryptosuite"),
    [
        ("ob_v3p0/validator/simple.json", "eddsa-rdfc-2022"),
        ("ob_v3p0/validator/simple-eddsa-2022.json", "eddsa-2022"),
        ("ob_v3p0/validator/simple-did-key-method.json", "eddsa-rdfc-2022"),
        ("ob_v3p0/validator/simple_v1.json", "Ed25519Signature2020"),
        ("clr_v2p0/validator/complex.json", "Ed25519Signature2020"),
    ],
)
def test_1edtech_validator_fixtures_verify(name: str, cryptosuite: str) -> None:
    document = read_json(EXAMPLES / name)
    checks = verify_proofs(document, KeyResolver(local_keys=_fragment_keys(document)))
    assert [c.ok for c in checks] == [True], [c.message for c in checks]
    assert checks[0].cryptosuite == cryptosuite


def test_bad_proof_value_fixture_fails_with_a_plain_message() -> None:
    document = read_json(EXAMPLES / "ob_v3p0/validator/simple-err-proof-value.json")
    (check,) = verify_proofs(document, KeyResolver(local_keys=_fragment_keys(document)))
    assert not check.ok
    assert check.code == "signature"
    assert "changed after signing, or signed with another key" in check.message


def test_unknown_proof_types_are_reported_not_raised() -> None:
    document = read_json(EXAMPLES / "ob_v3p0/validator/simple-multiple-proofs.json")
    checks = verify_proofs(document, KeyResolver(local_keys=_fragment_keys(document)))
    assert [(c.ok, c.code) for c in checks] == [(False, "unsupported"), (True, None)]


# -- tampering ---------------------------------------------------------------------------
def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [path]


def _mutate(document: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    old = parent[path[-1]]
    if isinstance(old, bool):
        parent[path[-1]] = not old
    elif isinstance(old, (int, float)):
        parent[path[-1]] = old + 1
    elif isinstance(old, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT.*", old):
        parent[path[-1]] = old.replace(old[:4], str(int(old[:4]) + 1), 1)
    else:
        parent[path[-1]] = f"{old}x"
    return changed


TAMPER_CASES = [(p, k) for _, p, k, _ in VECTOR_CASES if "employ" not in str(p)]
TAMPER_DOCS = [(read_json(p), k) for p, k in TAMPER_CASES]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_changing_any_leaf_breaks_the_proof(data: st.DataObject) -> None:
    signed, key = data.draw(st.sampled_from(TAMPER_DOCS))
    path = data.draw(st.sampled_from(_leaves(signed)))
    tampered = _mutate(signed, path)
    check = verify_proof(tampered, _first_proof(tampered), _resolver_for(key))
    assert not check.ok, f"changing {path} went unnoticed"


# -- signing behaviour ---------------------------------------------------------------------
CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "type": ["VerifiableCredential", "AlumniCredential"],
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_sign_fills_the_issuer_and_defaults_to_a_did_key_vm(suite: str) -> None:
    key = Ed25519KeyPair.generate()
    signed = sign_credential(CREDENTIAL, key, suite=suite)
    assert signed["issuer"] == key.controller
    assert "issuer" not in CREDENTIAL  # the input is not modified
    proof = signed["proof"]
    assert proof["verificationMethod"] == f"{key.controller}#{key.public_key_multibase}"
    assert proof["proofPurpose"] == "assertionMethod"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", proof["created"])
    assert verify_proof(signed, proof, KeyResolver()).ok
    if suite == "eddsa-jcs-2022":
        assert proof["@context"] == CREDENTIAL["@context"]


def test_profile_issuer_gets_an_id_and_another_did_is_refused() -> None:
    key = Ed25519KeyPair.generate()
    signed = sign_credential({**CREDENTIAL, "issuer": {"name": "Example U"}}, key)
    assert signed["issuer"] == {"id": key.controller, "name": "Example U"}
    other = Ed25519KeyPair.generate().controller
    for issuer in (other, {"id": other, "name": "X"}):
        with pytest.raises(SigningError, match="another DID"):
            sign_credential({**CREDENTIAL, "issuer": issuer}, key)


def test_second_proof_makes_a_proof_set() -> None:
    one, two = Ed25519KeyPair.generate(), Ed25519KeyPair.generate()
    signed = sign_credential(CREDENTIAL, one)
    both = sign_credential(signed, two, check_issuer=False)
    assert len(both["proof"]) == 2
    assert [c.ok for c in verify_proofs(both, KeyResolver())] == [True, True]


def test_signing_refusals() -> None:
    key = Ed25519KeyPair.generate()
    public_only = Ed25519KeyPair.from_multikey(key.to_multikey())
    with pytest.raises(SigningError, match="no secret key"):
        sign_credential(CREDENTIAL, public_only)
    with pytest.raises(InputError, match="unknown cryptosuite"):
        sign_credential(CREDENTIAL, key, suite="ecdsa-rdfc-2019")
    with pytest.raises(SigningError, match="not issued"):
        sign_credential(CREDENTIAL, key, suite="eddsa-2022")
    with pytest.raises(SigningError, match="dateTime"):
        sign_credential(CREDENTIAL, key, created="yesterday")
    # a relative IRI or unknown context: nobody else would reproduce the signed triples
    relative = {**CREDENTIAL, "credentialSubject": {"id": "relative/path"}}
    with pytest.raises(UndefinedTermError, match="relative IRI"):
        sign_credential(relative, key)
    unknown = {**CREDENTIAL, "@context": [*CREDENTIAL["@context"], "https://example.com/unknown"]}
    with pytest.raises(ContextError):
        sign_credential(unknown, key)


def test_verification_failures_say_why() -> None:
    key = Ed25519KeyPair.generate()
    signed = sign_credential(CREDENTIAL, key)
    proof = signed["proof"]
    resolver = KeyResolver()
    wrong_purpose = verify_proof(signed, {**proof, "proofPurpose": "authentication"}, resolver)
    assert (wrong_purpose.ok, wrong_purpose.code) == (False, "purpose")
    no_value = verify_proof(signed, {k: v for k, v in proof.items() if k != "proofValue"}, resolver)
    assert (no_value.ok, no_value.code) == (False, "malformed")
    remote = {**proof, "verificationMethod": "https://example.edu/keys#1"}
    unresolved = verify_proof(signed, remote, resolver)
    assert unresolved.code == "unresolved"
    assert "could not be resolved" in unresolved.message
    other = Ed25519KeyPair.generate()
    swapped = {**proof, "verificationMethod": other.id}
    assert verify_proof(signed, swapped, resolver).code == "signature"


def test_jcs_proof_context_must_prefix_the_document_context() -> None:
    key = Ed25519KeyPair.generate()
    signed = sign_credential(CREDENTIAL, key, suite="eddsa-jcs-2022")
    reordered = {**signed, "@context": list(reversed(signed["@context"]))}
    check = verify_proof(reordered, reordered["proof"], KeyResolver())
    assert not check.ok
    assert "@context" in check.message


def test_batch_signs_a_cohort_hashing_the_proof_config_once() -> None:
    key = Ed25519KeyPair.from_seed(bytes(range(32)))
    signer = BatchSigner(key, created="2025-01-15T09:30:00Z")
    cohort = [{**CREDENTIAL, "id": f"urn:uuid:00000000-0000-4000-8000-{i:012x}"} for i in range(5)]
    signed = [signer.sign(c) for c in cohort]
    assert signer.cache.misses == 1
    single = sign_credential(cohort[3], key, created="2025-01-15T09:30:00Z")
    assert signed[3] == single
    verifier = BatchVerifier(KeyResolver())
    assert all(verifier.verify_all(s)[0].ok for s in signed if isinstance(s, dict))
    assert verifier.cache.misses == 1
