"""Helpers shared by the cryptosuites: proof values, ``created``, issuer filling, hash cache."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from microcred.core.crypto.multibase import b58encode, multibase_decode
from microcred.core.errors import KeyFormatError, SigningError

if TYPE_CHECKING:
    from microcred.core.crypto.keys import Ed25519KeyPair

# XML Schema dateTime (what `created` must be); timezone optional per xsd.
XSD_DATETIME = re.compile(
    r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?$"
)
MISMATCH = (
    "signature does not match the document: it was changed after signing, "
    "or signed with another key"
)


class ProofError(Exception):
    """Internal: a proof that cannot be checked; its message is shown to the user."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ProofHashCache:
    """Proof-config hashes keyed by the config's JSON (bounded; one per batch option set)."""

    def __init__(self, max_entries: int = 256) -> None:
        self._hashes: dict[str, bytes] = {}
        self._max = max_entries
        self.misses = 0
        # A cohort repeats one config: comparing with the last one skips building a key.
        self._last: tuple[dict[str, Any], bytes] | None = None

    def get(self, config: dict[str, Any], compute: Callable[[], bytes]) -> bytes:
        if self._last is not None and self._last[0] == config:
            return self._last[1]
        found = self._lookup(config, compute)
        self._last = (config, found)
        return found

    def _lookup(self, config: dict[str, Any], compute: Callable[[], bytes]) -> bytes:
        key = json.dumps(config, sort_keys=True, ensure_ascii=False)
        found = self._hashes.get(key)
        if found is None:
            self.misses += 1
            found = compute()
            if len(self._hashes) >= self._max:
                self._hashes.pop(next(iter(self._hashes)))
            self._hashes[key] = found
        return found


# -- helpers ----------------------------------------------------------------------------
def format_created(created: str | datetime | None) -> str:
    """``created`` as an XML Schema dateTime; default now (UTC, whole seconds)."""
    if created is None:
        created = datetime.now(UTC)
    if isinstance(created, datetime):
        if created.tzinfo is None:
            raise SigningError("created must carry a timezone")
        created = created.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if not XSD_DATETIME.match(created):
        raise SigningError(f"created {created!r} is not an XML Schema dateTime")
    return created


def encode_proof_value(signature: bytes) -> str:
    return "z" + b58encode(signature)


def decode_proof_value(proof: dict[str, Any]) -> bytes:
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("the proof has no proofValue in multibase base58btc ('z…')", "malformed")
    try:
        signature = multibase_decode(value, where="proofValue")
    except KeyFormatError as exc:
        raise ProofError(f"the proofValue is malformed: {exc.message}", "malformed") from None
    if len(signature) != 64:
        raise ProofError(
            f"the proofValue is {len(signature)} bytes, not a 64-byte Ed25519 signature",
            "malformed",
        )
    return signature


def without_proof(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "proof"}


def _issuer_id(issuer: Any) -> str | None:
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict):
        value = issuer.get("id")
        return value if isinstance(value, str) else None
    raise SigningError("issuer must be a string or an object (a Profile)")


def with_issuer(document: dict[str, Any], key: Ed25519KeyPair) -> dict[str, Any]:
    """Fill a missing issuer id with the key's controller; refuse an issuer that is another DID."""
    if "issuer" not in document:
        return {**document, "issuer": key.controller} if _is_credential(document) else document
    issuer = document["issuer"]
    issuer_id = _issuer_id(issuer)
    if issuer_id is None:
        return {**document, "issuer": {"id": key.controller, **issuer}}
    if issuer_id.startswith("did:") and issuer_id.split("#", 1)[0] != key.controller:
        raise SigningError(
            f"the credential's issuer {issuer_id} is another DID than the key's controller "
            f"{key.controller}: sign with that issuer's key, or leave the issuer id out"
        )
    return document


def _is_credential(document: dict[str, Any]) -> bool:
    types = document.get("type", [])
    types = types if isinstance(types, list) else [types]
    return any(
        t in ("VerifiableCredential", "OpenBadgeCredential", "AchievementCredential") for t in types
    )


def proof_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# -- signing ----------------------------------------------------------------------------
