"""Provider seeds are sealed with AES-256-GCM under the KEK and bound to their provider and key."""

from __future__ import annotations

import secrets

import pytest

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.providers import keystore

KEK = bytes(range(32))
AD = keystore.key_binding("did:web:example.edu:providers:acme", "key-1")


def test_round_trip_gives_back_the_seed_and_never_contains_it() -> None:
    seed = secrets.token_bytes(32)
    sealed = keystore.encrypt_seed(seed, kek=KEK, associated_data=AD)
    assert seed not in sealed
    assert len(sealed) == keystore.SEALED_BYTES
    assert keystore.decrypt_seed(sealed, kek=KEK, associated_data=AD) == seed
    assert keystore.decrypt_seed(memoryview(sealed), kek=KEK, associated_data=AD) == seed


def test_two_encryptions_of_one_seed_differ() -> None:
    seed = secrets.token_bytes(32)
    first = keystore.encrypt_seed(seed, kek=KEK, associated_data=AD)
    assert first != keystore.encrypt_seed(seed, kek=KEK, associated_data=AD)


def test_a_wrong_kek_is_refused_clearly() -> None:
    sealed = keystore.encrypt_seed(secrets.token_bytes(32), kek=KEK, associated_data=AD)
    with pytest.raises(keystore.KeyStoreError, match="key-encryption key is not the one"):
        keystore.decrypt_seed(sealed, kek=bytes(32), associated_data=AD)


@pytest.mark.parametrize("position", [1, 5, 13, 30, keystore.SEALED_BYTES - 1])
def test_any_altered_byte_is_refused(position: int) -> None:
    sealed = bytearray(keystore.encrypt_seed(secrets.token_bytes(32), kek=KEK, associated_data=AD))
    sealed[position] ^= 0x01  # nonce, ciphertext and tag alike
    with pytest.raises(keystore.KeyStoreError, match="altered"):
        keystore.decrypt_seed(bytes(sealed), kek=KEK, associated_data=AD)


def test_a_key_moved_to_another_provider_or_key_id_does_not_open() -> None:
    sealed = keystore.encrypt_seed(secrets.token_bytes(32), kek=KEK, associated_data=AD)
    for did, key_id in [("did:web:example.edu:providers:evil", "key-1"), (AD_DID, "key-2")]:
        with pytest.raises(keystore.KeyStoreError):
            keystore.decrypt_seed(
                sealed, kek=KEK, associated_data=keystore.key_binding(did, key_id)
            )


AD_DID = "did:web:example.edu:providers:acme"


@pytest.mark.parametrize(
    ("blob", "kek", "message"),
    [
        (b"", KEK, "truncated"),
        (b"\x02" + bytes(keystore.SEALED_BYTES - 1), KEK, "not a microcred v1"),
        (bytes([1]) + bytes(keystore.SEALED_BYTES - 1), b"short", "32 raw bytes"),
    ],
)
def test_malformed_input_is_a_keystore_error(blob: bytes, kek: bytes, message: str) -> None:
    with pytest.raises(keystore.KeyStoreError, match=message):
        keystore.decrypt_seed(blob, kek=kek, associated_data=AD)


def test_seal_and_open_a_key_pair_with_its_identity() -> None:
    key = Ed25519KeyPair.generate()
    sealed = keystore.seal_key(key, kek=KEK, did=AD_DID, key_id="key-1")
    opened = keystore.open_key(
        sealed,
        kek=KEK,
        did=AD_DID,
        key_id="key-1",
        vm_id=f"{AD_DID}#key-1",
        public_key_multibase=key.public_key_multibase,
    )
    assert opened.seed == key.seed
    assert (opened.id, opened.controller) == (f"{AD_DID}#key-1", AD_DID)
    other = Ed25519KeyPair.generate().public_key_multibase
    with pytest.raises(keystore.KeyStoreError, match="does not match its public key"):
        keystore.open_key(
            sealed, kek=KEK, did=AD_DID, key_id="key-1", vm_id="x", public_key_multibase=other
        )


def test_a_public_only_key_cannot_be_sealed() -> None:
    public = Ed25519KeyPair(Ed25519KeyPair.generate().public_key)
    with pytest.raises(keystore.KeyStoreError, match="secret"):
        keystore.seal_key(public, kek=KEK, did=AD_DID, key_id="key-1")
