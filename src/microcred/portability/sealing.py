"""Passphrase protection of a backup file (no Django here).

The learner's passphrase goes through scrypt (N=2**15, r=8, p=1, a random 16-byte salt per
file) into 64 bytes: the first 32 are an AES-256-GCM key that seals the holder key's
seed, the last 32 an HMAC-SHA256 key that authenticates every part of the file (each
credential entry, each section, and the whole). A stored check value (the HMAC of a
fixed label) tells a wrong passphrase apart from a changed file before anything else is
read, so the learner is told which of the two it is.

The JSON is authenticated in its JCS (RFC 8785) form, so re-indenting the file changes
nothing, while any changed value, added or removed entry is caught.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
#: files from elsewhere may not ask for more memory/time than this (N*r*128 bytes = 128 MiB)
MAX_SCRYPT_N = 2**17
CHECK_LABEL = b"microcred-backup-check:v1"
MIN_PASSPHRASE = 10


class SealingError(Exception):
    """The passphrase is wrong or a sealed value was changed."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    return base64.b64decode(value.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Keys:
    encryption: bytes
    authentication: bytes

    def mac(self, value: Any) -> str:
        """HMAC-SHA256 (hex) of ``value``'s JCS form."""
        return hmac.new(self.authentication, rfc8785.dumps(value), hashlib.sha256).hexdigest()

    def mac_matches(self, value: Any, expected: Any) -> bool:
        return isinstance(expected, str) and hmac.compare_digest(self.mac(value), expected)

    @property
    def check(self) -> str:
        return hmac.new(self.authentication, CHECK_LABEL, hashlib.sha256).hexdigest()

    def seal(self, secret: bytes, associated_data: bytes) -> dict[str, str]:
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.encryption).encrypt(nonce, secret, associated_data)
        return {"nonce": b64(nonce), "ciphertext": b64(sealed)}

    def open(self, sealed: dict[str, Any], associated_data: bytes) -> bytes:
        try:
            nonce, ciphertext = unb64(sealed.get("nonce")), unb64(sealed.get("ciphertext"))
            return AESGCM(self.encryption).decrypt(nonce, ciphertext, associated_data)
        except (InvalidTag, ValueError) as exc:
            raise SealingError("the sealed key does not open with this passphrase") from exc


def new_kdf() -> dict[str, Any]:
    return {
        "name": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": b64(secrets.token_bytes(16)),
    }


def derive(passphrase: str, kdf: dict[str, Any]) -> Keys:
    """The file's keys from ``passphrase`` and its ``kdf`` parameters (ValueError if they
    are not scrypt parameters this platform accepts)."""
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise ValueError("the key derivation must be scrypt")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
        raise ValueError("scrypt n, r and p must be whole numbers")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if n < 2**14 or n > MAX_SCRYPT_N or n & (n - 1) or not 1 <= r <= 16 or not 1 <= p <= 4:
        raise ValueError("scrypt parameters out of the accepted range")
    salt = unb64(kdf.get("salt"))
    if len(salt) < 16:
        raise ValueError("the salt is shorter than 16 bytes")
    material = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return Keys(material[:32], material[32:])
