"""Multibase, Ed25519 Multikey key pairs, key files and DIDs, against the published vectors."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.crypto import multibase
from microcred.core.crypto.did import (
    did_key,
    did_key_document,
    did_key_vm_id,
    did_web_document,
    did_web_from_host,
    did_web_url,
)
from microcred.core.crypto.keys import Ed25519KeyPair, load_key_file, save_key_file
from microcred.core.errors import InputError, KeyFormatError, SigningError
from tests.conftest import VECTORS, read_json

DERIVED = read_json(VECTORS / "derived" / "ed25519-multikey-did-key.json")["keys"]
OB_KEYS = read_json(VECTORS / "1edtech-obv3p0-eddsa-rdfc-2022" / "keys-and-hashes.json")


def test_w3c_keypair_vector_round_trips() -> None:
    vector = read_json(VECTORS / "vc-di-eddsa" / "keyPair.json")
    key = Ed25519KeyPair.from_multikey(vector)
    assert key.public_key_multibase == vector["publicKeyMultibase"]
    assert key.secret_key_multibase == vector["privateKeyMultibase"]
    assert key.seed is not None
    assert key.seed.hex() == DERIVED[0]["seedHex"]


@pytest.mark.parametrize("entry", DERIVED, ids=lambda e: e["publicKeyMultibase"][:12])
def test_seed_gives_published_multikey_and_did_key(entry: dict[str, object]) -> None:
    key = Ed25519KeyPair.from_seed(bytes.fromhex(str(entry["seedHex"])))
    assert key.public_key.hex() == entry["publicKeyHex"]
    assert key.public_key_multibase == entry["publicKeyMultibase"]
    assert key.secret_key_multibase == entry["secretKeyMultibase_multicodec_0x8026"]
    assert did_key(key) == entry["did"]
    assert key.id == did_key_vm_id(key) == entry["verificationMethodId"]
    assert key.to_multikey(include_context=False) == entry["multikeyVerificationMethod"]


def test_legacy_64_byte_secret_of_the_1edtech_guide_is_accepted() -> None:
    key = Ed25519KeyPair.from_multikey(
        {
            "publicKeyMultibase": OB_KEYS["publicKeyMultibase"],
            "secretKeyMultibase": OB_KEYS["secretKeyMultibase"],
        }
    )
    assert key.seed == bytes.fromhex(OB_KEYS["secretKeyHex_seedThenPublic"])[:32]
    # written back in the W3C 32-byte seed form
    assert key.secret_key_multibase is not None
    assert key.secret_key_multibase.startswith("z3u2")


def test_export_has_digital_bazaar_shape_and_order() -> None:
    key = Ed25519KeyPair.from_seed(bytes(range(32)))
    doc = key.to_multikey(include_secret=True)
    assert list(doc) == [
        "@context",
        "id",
        "type",
        "controller",
        "publicKeyMultibase",
        "secretKeyMultibase",
    ]
    assert doc["@context"] == "https://w3id.org/security/multikey/v1"
    assert doc["type"] == "Multikey"
    assert doc["controller"] == f"did:key:{doc['publicKeyMultibase']}"
    assert "secretKeyMultibase" not in key.to_multikey()


def test_sign_and_verify_raw_bytes() -> None:
    key = Ed25519KeyPair.generate()
    signature = key.sign(b"hello")
    assert len(signature) == 64
    assert key.verify(signature, b"hello")
    assert not key.verify(signature, b"hellO")
    public_only = Ed25519KeyPair.from_multikey(key.to_multikey())
    assert public_only.verify(signature, b"hello")
    with pytest.raises(SigningError, match="no secret key"):
        public_only.sign(b"x")


def test_key_file_round_trip_is_private(tmp_path: Path) -> None:
    key = Ed25519KeyPair.from_seed(bytes(range(32)))
    path = tmp_path / "issuer.json"
    save_key_file(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_key_file(path)
    assert loaded.seed == key.seed
    assert loaded.id == key.id
    assert json.loads(path.read_text())["secretKeyMultibase"] == key.secret_key_multibase


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "JSON"),
        ("[]", "JSON object"),
        ('{"type": "Multikey"}', "publicKeyMultibase"),
        (
            '{"type": "Multikey", "publicKeyMultibase": "'
            + "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
            + '"}',
            "P-256",
        ),
        ('{"publicKeyJwk": {"kty": "RSA", "n": "x", "e": "AQAB"}}', "JWK"),
        ('{"type": "JsonWebKey2020", "publicKeyMultibase": "z6Mk"}', "JsonWebKey2020"),
        ('{"publicKeyMultibase": "z6Mk0OIl"}', "base58btc"),
        ('{"publicKeyMultibase": "f00"}', "multibase prefix"),
    ],
)
def test_bad_key_files_name_the_file_and_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(KeyFormatError, match=message) as info:
        load_key_file(path)
    assert str(path) in str(info.value)


def test_secret_of_another_key_is_refused() -> None:
    one, two = Ed25519KeyPair.generate(), Ed25519KeyPair.generate()
    doc = one.to_multikey()
    doc["secretKeyMultibase"] = two.secret_key_multibase
    with pytest.raises(KeyFormatError, match="does not belong"):
        Ed25519KeyPair.from_multikey(doc, where="k.json")


def test_missing_key_file_is_a_key_format_error(tmp_path: Path) -> None:
    with pytest.raises(KeyFormatError, match="cannot read"):
        load_key_file(tmp_path / "nope.json")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_base58_and_multibase_round_trip(data: bytes) -> None:
    assert multibase.b58decode(multibase.b58encode(data)) == data
    for base in ("z", "u"):
        assert multibase.multibase_decode(multibase.multibase_encode(data, base)) == data


def test_base58_known_values() -> None:
    assert multibase.b58encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert multibase.b58encode(b"\x00\x00\x01") == "112"
    assert multibase.multibase_decode("uAQID") == b"\x01\x02\x03"


def test_did_key_document_matches_the_published_vm() -> None:
    entry = DERIVED[1]
    doc = did_key_document(entry["verificationMethodId"])
    assert doc["id"] == entry["did"]
    assert doc["verificationMethod"] == [entry["multikeyVerificationMethod"]]
    assert doc["assertionMethod"] == [entry["verificationMethodId"]]
    assert doc["authentication"] == [entry["verificationMethodId"]]
    with pytest.raises(KeyFormatError):
        did_key_document("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169")
    with pytest.raises(KeyFormatError, match="fragment"):
        did_key_document(entry["did"] + "#other")


@pytest.mark.parametrize(
    ("given_host", "did", "url"),
    [
        (
            "w3c-ccg.github.io",
            "did:web:w3c-ccg.github.io",
            "https://w3c-ccg.github.io/.well-known/did.json",
        ),
        (
            "w3c-ccg.github.io:user:alice",
            "did:web:w3c-ccg.github.io:user:alice",
            "https://w3c-ccg.github.io/user/alice/did.json",
        ),
        (
            "example.com:3000",
            "did:web:example.com%3A3000",
            "https://example.com:3000/.well-known/did.json",
        ),
        (
            "https://example.edu:8443/issuers/1",
            "did:web:example.edu%3A8443:issuers:1",
            "https://example.edu:8443/issuers/1/did.json",
        ),
    ],
)
def test_did_web_names_and_urls(given_host: str, did: str, url: str) -> None:
    assert did_web_from_host(given_host) == did
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "bad", ["did:web:", "did:web:exa mple.com", "did:web:example.com:..", "did:key:z6Mk"]
)
def test_malformed_did_web_is_refused(bad: str) -> None:
    with pytest.raises(InputError):
        did_web_url(bad)


def test_did_web_document_keeps_rotated_keys_for_assertions() -> None:
    old, new = Ed25519KeyPair.generate(), Ed25519KeyPair.generate()
    did = did_web_from_host("example.edu:issuers:1")
    doc = did_web_document(did, [old, new])
    ids = [vm["id"] for vm in doc["verificationMethod"]]
    assert ids == [f"{did}#key-1", f"{did}#key-2"]
    assert doc["assertionMethod"] == ids
    assert doc["authentication"] == [f"{did}#key-2"]
    assert [vm["publicKeyMultibase"] for vm in doc["verificationMethod"]] == [
        old.public_key_multibase,
        new.public_key_multibase,
    ]
    assert all("secretKeyMultibase" not in vm for vm in doc["verificationMethod"])
    by_multibase = did_web_document(did, [old], fragment="multibase")
    assert by_multibase["verificationMethod"][0]["id"] == f"{did}#{old.public_key_multibase}"
