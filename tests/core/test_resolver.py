"""Verification-method resolution: did:key locally, did:web / https via the fetcher, local keys."""

from __future__ import annotations

import json

import pytest

from microcred.core.crypto.did import did_web_document, did_web_from_host, did_web_url
from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import sign_credential, verify_proof
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.resolver import KeyResolver, ResolutionError
from tests.conftest import VECTORS, read_json

DERIVED = read_json(VECTORS / "derived" / "ed25519-multikey-did-key.json")["keys"]
OB_KEYS = read_json(VECTORS / "1edtech-obv3p0-eddsa-rdfc-2022" / "keys-and-hashes.json")


def test_did_key_resolves_offline_with_controller_and_purposes() -> None:
    entry = DERIVED[0]
    resolved = KeyResolver().resolve(entry["verificationMethodId"])
    assert resolved.key_type == "Ed25519"
    assert resolved.public_key == bytes.fromhex(entry["publicKeyHex"])
    assert resolved.controller == entry["did"]
    assert resolved.method == entry["multikeyVerificationMethod"]
    assert resolved.authorised_for("assertionMethod") is True


def test_bare_did_key_names_its_only_key() -> None:
    entry = DERIVED[1]
    resolved = KeyResolver().resolve(entry["did"])
    assert resolved.vm_id == entry["verificationMethodId"]


def test_local_keys_map_in_interop_format() -> None:
    vm_id = OB_KEYS["verificationMethod"]
    resolver = KeyResolver(
        local_keys={vm_id: {"publicKeyMultibase": OB_KEYS["publicKeyMultibase"]}}
    )
    resolved = resolver.resolve(vm_id)
    assert resolved.public_key == bytes.fromhex(OB_KEYS["publicKeyHex"])
    assert resolved.controller == OB_KEYS["controller"]
    assert resolved.authorised_for("assertionMethod") is True


def test_local_controller_document_limits_purposes() -> None:
    old, new = Ed25519KeyPair.generate(), Ed25519KeyPair.generate()
    did = "did:web:example.edu"
    document = did_web_document(did, [old, new])
    document["assertionMethod"] = [f"{did}#key-2"]  # key-1 retired for assertions
    resolver = KeyResolver(local_keys={did: document})
    assert resolver.resolve(f"{did}#key-2").authorised_for("assertionMethod") is True
    assert resolver.resolve(f"{did}#key-1").authorised_for("assertionMethod") is False


def test_did_web_resolves_through_the_fetcher_and_checks_authorisation() -> None:
    did = did_web_from_host("example.edu:issuers:1")
    old, new = Ed25519KeyPair.generate(), Ed25519KeyPair.generate()
    document = did_web_document(did, [old, new])
    fetcher = StaticFetcher({did_web_url(did): json.dumps(document).encode()})
    resolver = KeyResolver(fetcher)
    signer = old.with_identity(controller=did, id=f"{did}#key-1")
    signed = sign_credential({**_credential(), "issuer": did}, signer)
    check = verify_proof(signed, signed["proof"], resolver)
    assert check.ok, check.message
    assert check.controller == did
    # an unauthorised key fails even though the signature is right
    document["assertionMethod"] = [f"{did}#key-2"]
    strict = KeyResolver(StaticFetcher({did_web_url(did): json.dumps(document).encode()}))
    refused = verify_proof(signed, signed["proof"], strict)
    assert (refused.ok, refused.code) == (False, "unauthorised")


def test_https_key_document_and_controller_document() -> None:
    key = Ed25519KeyPair.generate(controller="https://example.edu/issuers/1")
    controller_doc = {
        "id": "https://example.edu/issuers/1",
        "verificationMethod": [key.to_multikey(include_context=False)],
        "assertionMethod": [key.id],
    }
    fetcher = StaticFetcher({"https://example.edu/issuers/1": json.dumps(controller_doc).encode()})
    resolved = KeyResolver(fetcher).resolve(key.id)
    assert resolved.public_key == key.public_key
    assert resolved.authorised_for("assertionMethod") is True
    # a key served at its own URL, with no reachable controller: authorisation unknown
    bare = Ed25519KeyPair.generate(
        controller="https://example.edu/issuers/2", id="https://example.edu/keys/2"
    )
    fetcher.add("https://example.edu/keys/2", json.dumps(bare.to_multikey()).encode())
    resolved = KeyResolver(fetcher).resolve(bare.id)
    assert resolved.controller == "https://example.edu/issuers/2"
    assert resolved.authorised_for("assertionMethod") is None


@pytest.mark.parametrize(
    ("vm_id", "message"),
    [
        ("https://example.edu/issuers/1#key-1", "cannot be fetched"),
        ("did:web:example.edu#key-1", "cannot be fetched"),
        ("did:example:123#key-1", "unsupported verification method"),
        ("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", "P-256"),
        ("", "no verificationMethod"),
    ],
)
def test_resolution_failures_explain_themselves(vm_id: str, message: str) -> None:
    with pytest.raises(ResolutionError, match=message):
        KeyResolver().resolve(vm_id)


def test_fetched_garbage_and_wrong_documents_are_resolution_errors() -> None:
    fetcher = StaticFetcher(
        {
            "https://example.edu/.well-known/did.json": b"not json",
            "https://other.example/.well-known/did.json": b'{"id": "did:web:evil.example"}',
        }
    )
    with pytest.raises(ResolutionError, match="JSON"):
        KeyResolver(fetcher).resolve("did:web:example.edu#key-1")
    with pytest.raises(ResolutionError, match="has id"):
        KeyResolver(fetcher).resolve("did:web:other.example#key-1")


def test_private_jwk_is_refused() -> None:
    resolver = KeyResolver(
        local_keys={
            "https://x.example/k#1": {
                "type": "JsonWebKey2020",
                "publicKeyJwk": {"kty": "OKP", "d": "x"},
            }
        }
    )
    with pytest.raises(ResolutionError, match="private key"):
        resolver.resolve("https://x.example/k#1")


def _credential() -> dict[str, object]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:subject"},
    }
