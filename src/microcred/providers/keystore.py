"""Provider signing keys encrypted at rest under the platform's key-encryption key (KEK).

A stored secret is ``version (1 byte) || nonce (12 bytes) || AES-256-GCM(seed)``. The
associated data binds the ciphertext to the provider DID and key id, so a row copied onto
another provider or key cannot be decrypted there. Nothing here imports Django: callers pass
the KEK (``settings.KEY_ENCRYPTION_KEY``, 32 raw bytes) explicitly.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from microcred.core.crypto.keys import Ed25519KeyPair

FORMAT_VERSION = 1
NONCE_BYTES = 12
SEED_BYTES = 32
KEK_BYTES = 32
# version + nonce + seed + 16-byte GCM tag
SEALED_BYTES = 1 + NONCE_BYTES + SEED_BYTES + 16


class KeyStoreError(Exception):
    """A stored key cannot be used: wrong KEK, tampered or truncated ciphertext, bad input."""


def key_binding(did: str, key_id: str) -> bytes:
    """The associated data of a key: which provider DID and key id it belongs to."""
    return f"microcred-provider-key:v1\n{did}\n{key_id}".encode()


def _aead(kek: bytes) -> AESGCM:
    if not isinstance(kek, bytes) or len(kek) != KEK_BYTES:
        raise KeyStoreError(f"the key-encryption key must be {KEK_BYTES} raw bytes")
    return AESGCM(kek)


def encrypt_seed(seed: bytes, *, kek: bytes, associated_data: bytes) -> bytes:
    """Seal a 32-byte Ed25519 seed; a fresh random nonce every time."""
    if len(seed) != SEED_BYTES:
        raise KeyStoreError(f"an Ed25519 seed is {SEED_BYTES} bytes, got {len(seed)}")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _aead(kek).encrypt(nonce, seed, associated_data)
    return bytes([FORMAT_VERSION]) + nonce + sealed


def decrypt_seed(
    blob: bytes | memoryview, *, kek: bytes | tuple[bytes, ...], associated_data: bytes
) -> bytes:
    """Open a sealed seed; any wrong KEK, binding or altered byte raises KeyStoreError.

    ``kek`` may be several KEKs, tried in order: during a KEK rotation a secret is sealed
    under the new KEK or still under the old one (docs/operations.md, section 4).
    """
    blob = bytes(blob)  # PostgreSQL hands BinaryField values back as memoryview
    if len(blob) != SEALED_BYTES or blob[0] != FORMAT_VERSION:
        raise KeyStoreError("the stored key is not a microcred v1 sealed key (truncated?)")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    for candidate in (kek,) if isinstance(kek, bytes) else kek:
        try:
            return _aead(candidate).decrypt(nonce, sealed, associated_data)
        except InvalidTag:
            continue
    raise KeyStoreError(
        "the stored key cannot be decrypted: the key-encryption key is not the one it was "
        "encrypted with, or the stored key was altered or moved to another provider"
    )


def seal_key(key: Ed25519KeyPair, *, kek: bytes, did: str, key_id: str) -> bytes:
    """Encrypt ``key``'s seed bound to ``did`` and ``key_id``."""
    seed = key.seed
    if seed is None:
        raise KeyStoreError("only a key with its secret can be stored")
    return encrypt_seed(seed, kek=kek, associated_data=key_binding(did, key_id))


def open_key(
    blob: bytes | memoryview,
    *,
    kek: bytes | tuple[bytes, ...],
    did: str,
    key_id: str,
    vm_id: str,
    public_key_multibase: str,
) -> Ed25519KeyPair:
    """Decrypt a stored key as ``vm_id`` controlled by ``did``; checks it matches its public key."""
    seed = decrypt_seed(blob, kek=kek, associated_data=key_binding(did, key_id))
    key = Ed25519KeyPair.from_seed(seed, controller=did, id=vm_id)
    if key.public_key_multibase != public_key_multibase:
        raise KeyStoreError(f"the stored secret of {vm_id} does not match its public key")
    return key
