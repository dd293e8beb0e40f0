"""IdentityObject: how a credential names its recipient without exposing the email.

OB 3.0 ``IdentityHash`` is ``"<algorithm>$<hex digest>"`` of the UTF-8 identifier
immediately followed by the UTF-8 salt (identifier THEN salt, no separator); the only
algorithms are ``md5`` and ``sha256``. Example from the spec, checked in the tests:
``sha256("a@example.com" + "Kosher")``.

Normalisation decision: the spec does not normalise emails, but people type
``Ana@Example.com `` as often as ``ana@example.com``. microcred hashes the email
**stripped of surrounding white space and lower-cased** before hashing. When matching, it
tries the normalised email first and the email exactly as given second, so credentials
from issuers that do not normalise still match the address they hashed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pydantic import field_validator

from microcred.core.errors import InputError
from microcred.core.model.base import ClosedOBModel

_ALGORITHMS = {"sha256": hashlib.sha256, "md5": hashlib.md5}


def normalize_email(email: str) -> str:
    """The form microcred hashes: surrounding white space removed, lower case."""
    return email.strip().lower()


def _digest(algorithm: str, identifier: str, salt: str) -> str:
    return _ALGORITHMS[algorithm]((identifier + salt).encode("utf-8")).hexdigest()


def hash_email(email: str, salt: str) -> str:
    """``"sha256$" + hex(SHA-256(normalised email + salt))``."""
    if "@" not in email:
        raise InputError(f"{email!r} is not an email address", where="recipient email")
    return "sha256$" + _digest("sha256", normalize_email(email), salt)


def new_salt() -> str:
    """A fresh random salt (128 bits, hex), so equal emails give unrelated hashes."""
    return secrets.token_hex(16)


def identity_hash_matches(identity_hash: str, value: str, salt: str | None) -> bool:
    """True if ``identity_hash`` (``alg$hex``) hashes ``value`` + ``salt``."""
    algorithm, sep, expected = identity_hash.partition("$")
    algorithm = algorithm.lower()
    if not sep or algorithm not in _ALGORITHMS:
        return False
    actual = _digest(algorithm, value, salt or "")
    # Hex may be upper or lower case (spec); compare in constant time anyway.
    return hmac.compare_digest(actual, expected.strip().lower())


class IdentityObject(ClosedOBModel):
    """A recipient identifier, plain or hashed (``AchievementSubject.identifier``)."""

    type: str = "IdentityObject"
    hashed: bool
    identity_hash: str
    identity_type: str
    salt: str | None = None

    @field_validator("type")
    @classmethod
    def _is_identity_object(cls, value: str) -> str:
        if value != "IdentityObject":
            raise ValueError("must be 'IdentityObject'")
        return value

    @classmethod
    def for_email(cls, email: str, salt: str | None = None) -> IdentityObject:
        """A salted, hashed ``emailAddress`` identifier (a fresh salt if none is given)."""
        salt = new_salt() if salt is None else salt
        return cls(
            hashed=True,
            identity_hash=hash_email(email, salt),
            identity_type="emailAddress",
            salt=salt,
        )

    def matches(self, value: str, identity_type: str = "emailAddress") -> bool:
        """True if this identifier names ``value`` (see the module note on emails)."""
        if self.identity_type != identity_type:
            return False
        is_email = identity_type == "emailAddress"
        if not self.hashed:
            if is_email:
                return normalize_email(self.identity_hash) == normalize_email(value)
            return self.identity_hash == value
        candidates = [normalize_email(value), value] if is_email else [value]
        return any(identity_hash_matches(self.identity_hash, c, self.salt) for c in candidates)
