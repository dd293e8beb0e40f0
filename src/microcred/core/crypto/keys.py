"""Ed25519 key pairs as Multikey documents, and key files in the Digital Bazaar shape.

A key file is the JSON that ``@digitalbazaar/ed25519-multikey``'s
``export({publicKey: true, secretKey: true, includeContext: true})`` writes, so a
key made here can be imported by the Node tools and vice versa::

    {"@context": "https://w3id.org/security/multikey/v1", "id": "did:key:z6Mk…#z6Mk…",
     "type": "Multikey", "controller": "did:key:z6Mk…",
     "publicKeyMultibase": "z6Mk…", "secretKeyMultibase": "z3u2…"}

We write the W3C form of the secret (0x8026 + 32-byte seed, ``z3u2…``) and read
both it and the legacy 64-byte seed||public form (``zrv…``) that Digital Bazaar
and the 1EdTech guide emit.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from microcred.core import jsonio
from microcred.core.crypto.multibase import (
    ED25519_PRIV_HEADER,
    ED25519_PUB_HEADER,
    decode_multikey,
    encode_multikey,
)
from microcred.core.errors import InputError, KeyFormatError, SigningError

MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
# Verification-method types whose publicKeyMultibase is the same 0xed01 Multikey encoding.
ED25519_VM_TYPES = frozenset({"Multikey", "Ed25519VerificationKey2020"})
MAX_KEY_FILE_BYTES = 64 * 1024


def did_key_for(public_key_multibase: str) -> str:
    """``did:key:z6Mk…`` for an Ed25519 ``publicKeyMultibase``."""
    return f"did:key:{public_key_multibase}"


class Ed25519KeyPair:
    """An Ed25519 key (public, optionally with its 32-byte seed) plus its Multikey identity."""

    def __init__(
        self,
        public_key: bytes,
        seed: bytes | None = None,
        *,
        controller: str | None = None,
        id: str | None = None,
    ) -> None:
        if len(public_key) != 32:
            raise KeyFormatError(f"Ed25519 public key is {len(public_key)} bytes, expected 32")
        self.public_key = public_key
        self._private: Ed25519PrivateKey | None = None
        if seed is not None:
            self._private = Ed25519PrivateKey.from_private_bytes(seed)
            if self._private.public_key().public_bytes_raw() != public_key:
                raise KeyFormatError("the secret key does not belong to the public key")
        self._public = Ed25519PublicKey.from_public_bytes(public_key)
        self.public_key_multibase = encode_multikey(public_key, ED25519_PUB_HEADER)
        self.controller = controller or did_key_for(self.public_key_multibase)
        self.id = id or f"{self.controller}#{self.public_key_multibase}"

    # -- construction -------------------------------------------------------------------
    @classmethod
    def generate(cls, *, controller: str | None = None, id: str | None = None) -> Ed25519KeyPair:
        return cls.from_seed(secrets.token_bytes(32), controller=controller, id=id)

    @classmethod
    def from_seed(
        cls, seed: bytes, *, controller: str | None = None, id: str | None = None
    ) -> Ed25519KeyPair:
        if len(seed) != 32:
            raise KeyFormatError(f"Ed25519 seed is {len(seed)} bytes, expected 32")
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        return cls(public, seed, controller=controller, id=id)

    @classmethod
    def from_multikey(cls, document: Any, *, where: str = "key") -> Ed25519KeyPair:
        """Read a Multikey (or Ed25519VerificationKey2020) document, secret optional."""
        if not isinstance(document, dict):
            raise KeyFormatError("a key must be a JSON object (a Multikey document)", where=where)
        _check_key_type(document, where)
        public = decode_multikey(
            document.get("publicKeyMultibase"),
            ED25519_PUB_HEADER,
            (32,),
            where=f"{where}: publicKeyMultibase",
        )
        seed = _secret_seed(document, public, where)
        controller = _optional_str(document, "controller", where)
        key_id = _optional_str(document, "id", where)
        if key_id and not controller:
            controller = key_id.split("#", 1)[0]
        if key_id and key_id.startswith("#") and controller:
            key_id = controller + key_id
        return cls(public, seed, controller=controller, id=key_id)

    def with_identity(self, *, controller: str, id: str | None = None) -> Ed25519KeyPair:
        """The same key material under another controller (e.g. a did:web DID)."""
        return Ed25519KeyPair(self.public_key, self.seed, controller=controller, id=id)

    # -- properties ---------------------------------------------------------------------
    @property
    def has_secret(self) -> bool:
        return self._private is not None

    @property
    def seed(self) -> bytes | None:
        return self._private.private_bytes_raw() if self._private else None

    @property
    def secret_key_multibase(self) -> str | None:
        seed = self.seed
        return encode_multikey(seed, ED25519_PRIV_HEADER) if seed else None

    @property
    def did_key(self) -> str:
        return did_key_for(self.public_key_multibase)

    # -- use ----------------------------------------------------------------------------
    def sign(self, data: bytes) -> bytes:
        if self._private is None:
            raise SigningError(f"key {self.id} has no secret key: it can only verify")
        return self._private.sign(data)

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            self._public.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def to_multikey(
        self, include_secret: bool = False, *, include_context: bool = True
    ) -> dict[str, Any]:
        """The Multikey document, in Digital Bazaar's export key order."""
        doc: dict[str, Any] = {}
        if include_context:
            doc["@context"] = MULTIKEY_CONTEXT
        doc.update(id=self.id, type="Multikey", controller=self.controller)
        doc["publicKeyMultibase"] = self.public_key_multibase
        if include_secret:
            secret = self.secret_key_multibase
            if secret is None:
                raise SigningError(f"key {self.id} has no secret key to export")
            doc["secretKeyMultibase"] = secret
        return doc

    def __repr__(self) -> str:  # never print the secret
        return f"Ed25519KeyPair(id={self.id!r}, secret={'yes' if self.has_secret else 'no'})"


def _check_key_type(document: dict[str, Any], where: str) -> None:
    if "publicKeyJwk" in document or "kty" in document:
        jwk = document.get("publicKeyJwk", document)
        kty = jwk.get("kty") if isinstance(jwk, dict) else None
        raise KeyFormatError(
            f"unsupported key type: JWK (kty {kty!r}); expected an Ed25519 Multikey document",
            where=where,
        )
    key_type = document.get("type", "Multikey")
    if key_type not in ED25519_VM_TYPES:
        raise KeyFormatError(
            f"unsupported key type {key_type!r}: expected Multikey (Ed25519)", where=where
        )
    if "publicKeyMultibase" not in document:
        raise KeyFormatError("missing publicKeyMultibase", where=where)


def _secret_seed(document: dict[str, Any], public: bytes, where: str) -> bytes | None:
    # W3C keyPair.json calls it privateKeyMultibase; Multikey/CID calls it secretKeyMultibase.
    field = "secretKeyMultibase" if "secretKeyMultibase" in document else "privateKeyMultibase"
    value = document.get(field)
    if value is None:
        return None
    secret = decode_multikey(value, ED25519_PRIV_HEADER, (32, 64), where=f"{where}: {field}")
    if len(secret) == 64 and secret[32:] != public:
        raise KeyFormatError(
            "the 64-byte secret key ends with another public key", where=f"{where}: {field}"
        )
    seed = secret[:32]
    derived = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    if derived != public:
        raise KeyFormatError(
            "the secret key does not belong to publicKeyMultibase", where=f"{where}: {field}"
        )
    return seed


def _optional_str(document: dict[str, Any], field: str, where: str) -> str | None:
    value = document.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise KeyFormatError(f"{field} must be a non-empty string", where=where)
    return value


def load_key_file(path: str | os.PathLike[str]) -> Ed25519KeyPair:
    """Read a Multikey key file; every problem is a :class:`KeyFormatError` naming the file."""
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFormatError(f"cannot read key file: {exc.strerror or exc}", where=where) from None
    try:
        document = jsonio.loads(raw, where=where, max_bytes=MAX_KEY_FILE_BYTES)
    except KeyFormatError:
        raise
    except InputError as exc:
        raise KeyFormatError(exc.message, where=where) from None
    return Ed25519KeyPair.from_multikey(document, where=where)


def save_key_file(
    key: Ed25519KeyPair, path: str | os.PathLike[str], *, include_secret: bool = True
) -> None:
    """Write the key file readable by its owner only (mode 0600), replacing any old file."""
    text = json.dumps(key.to_multikey(include_secret=include_secret), indent=2) + "\n"
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise KeyFormatError(
            f"cannot write key file: {exc.strerror or exc}", where=str(path)
        ) from None
