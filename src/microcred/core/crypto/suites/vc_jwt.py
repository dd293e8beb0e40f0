"""VC-JWT (OB 3.0 "JSON Web Token Proof Format"): sign with EdDSA; verify EdDSA, ES256, RS256.

Signing puts the credential JSON itself in the payload (OB 3.0 / VC 2.0 style) plus
the registered claims OB 3.0 requires: ``iss`` (issuer id), ``jti`` (credential id),
``nbf`` (validFrom), ``sub`` (credentialSubject id) and ``exp`` (validUntil). The
header is ``{"alg": "EdDSA", "kid": <verification method>, "typ": "JWT"}``.

Verification accepts that style and the VC 1.1 style (credential in the ``vc``
claim); the key comes from ``kid`` through the resolver or from an embedded public
``jwk`` header (never one with ``d``); the claims must agree with the credential.
"""

from __future__ import annotations

import base64
import binascii
import json
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import JWSRegistry

from microcred.core.crypto.suites.common import ProofError, with_issuer
from microcred.core.crypto.termcheck import DEFAULT_GUARD, TermGuard
from microcred.core.errors import InputError, SigningError

if TYPE_CHECKING:
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.verify.resolver import KeyResolver

# alg -> (JWK kty, curve or None)
ALGORITHMS: dict[str, tuple[str, str | None]] = {
    "EdDSA": ("OKP", "Ed25519"),
    "Ed25519": ("OKP", "Ed25519"),  # the RFC 9864 name for the same signature
    "ES256": ("EC", "P-256"),
    "RS256": ("RSA", None),
}
REGISTERED_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat", "aud")
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
MAX_JWT_CHARS = 4 * 1024 * 1024


class _Registry(JWSRegistry):
    # joserfc's 512-byte header limit rejects legitimate headers with an embedded RSA jwk.
    max_header_length = 16 * 1024
    max_payload_length = MAX_JWT_CHARS


_REGISTRY = _Registry(algorithms=list(ALGORITHMS))


@dataclass(frozen=True)
class JwtCheck:
    """The outcome of verifying a VC-JWT; ``credential`` is set when the token could be read."""

    ok: bool
    message: str
    alg: str | None = None
    kid: str | None = None
    controller: str | None = None
    key_source: str | None = None  # "kid" or "jwk"
    credential: dict[str, Any] | None = None
    header: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    code: str | None = None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _epoch(value: Any, field_name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("must be a date-time string", where=field_name)
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        raise InputError(f"{value!r} is not a date-time", where=field_name) from None


def _subject_id(credential: dict[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    value = subject.get("id") if isinstance(subject, dict) else None
    return value if isinstance(value, str) else None


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The registered claims OB 3.0 derives from a credential (VC 2.0 or 1.1 dates)."""
    claims: dict[str, Any] = {}
    valid_from = credential.get("validFrom", credential.get("issuanceDate"))
    valid_until = credential.get("validUntil", credential.get("expirationDate"))
    values = {
        "iss": _issuer_id(credential),
        "jti": credential.get("id") if isinstance(credential.get("id"), str) else None,
        "nbf": _epoch(valid_from, "validFrom"),
        "sub": _subject_id(credential),
        "exp": _epoch(valid_until, "validUntil"),
    }
    claims.update({name: value for name, value in values.items() if value is not None})
    return claims


def sign_jwt(
    credential: dict[str, Any],
    key: Ed25519KeyPair,
    *,
    kid: str | None = None,
    term_guard: TermGuard | None = None,
) -> str:
    """The compact VC-JWT (EdDSA) of ``credential``; a missing issuer id becomes the key's DID.

    The JWS signs the JSON bytes, so undefined terms are refused first (``term_guard``)."""
    if not isinstance(credential, dict):
        raise InputError("a credential must be a JSON object", where="document")
    # OB 3.0: an embedded proof, if any, must be added before the JWT; it is kept as is.
    credential = with_issuer(credential, key)
    (term_guard or DEFAULT_GUARD).check(credential)
    claims = jwt_claims(credential)
    if "iss" not in claims:
        raise SigningError("a VC-JWT needs an issuer id")
    payload = {**credential, **claims}
    seed = key.seed
    if seed is None:
        raise SigningError(f"key {key.id} has no secret key: it can only verify")
    jwk = OKPKey.import_key(
        {"kty": "OKP", "crv": "Ed25519", "x": _b64url(key.public_key), "d": _b64url(seed)}
    )
    header = {"alg": "EdDSA", "kid": kid or key.id, "typ": "JWT"}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with warnings.catch_warnings():
        # "EdDSA" is what OB 3.0 verifiers know; RFC 9864's deprecation warning is noise here.
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, body, jwk, algorithms=["EdDSA"], registry=_REGISTRY)


# -- verification -----------------------------------------------------------------------
def _decode_part(part: str, what: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError):
        raise ProofError(f"the JWT {what} is not base64url-encoded JSON", "malformed") from None


def _parse(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if not isinstance(token, str) or len(token) > MAX_JWT_CHARS:
        raise ProofError("not a compact JWT", "malformed")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise ProofError("not a compact JWT (expected header.payload.signature)", "malformed")
    header, payload = _decode_part(parts[0], "header"), _decode_part(parts[1], "payload")
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ProofError("the JWT header and payload must be JSON objects", "malformed")
    return header, payload


def _check_header(header: dict[str, Any]) -> str:
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise ProofError(
            f"unsupported JWT algorithm {alg!r}; accepted: EdDSA, ES256, RS256", "unsupported"
        )
    if "typ" in header and str(header["typ"]).upper() != "JWT":
        raise ProofError(f"the JWT typ is {header['typ']!r}, expected 'JWT'", "malformed")
    if "crit" in header:
        raise ProofError(
            "the JWT has critical header extensions we do not understand", "unsupported"
        )
    return str(alg)


def _import_jwk(jwk: Any, alg: str) -> OKPKey | ECKey | RSAKey:
    kty, crv = ALGORITHMS[alg]
    if not isinstance(jwk, dict):
        raise ProofError("the JWT key is not a JWK object", "malformed")
    if any(member in jwk for member in PRIVATE_JWK_MEMBERS):
        raise ProofError("the embedded jwk contains private key material; refusing it", "malformed")
    if jwk.get("kty") != kty or (crv is not None and jwk.get("crv") != crv):
        raise ProofError(
            f"{alg} needs a {kty} {crv or ''} key, the key is {jwk.get('kty')} {jwk.get('crv', '')}".replace(
                "  ", " "
            ),
            "unsupported",
        )
    try:
        if kty == "OKP":
            return OKPKey.import_key(jwk)
        if kty == "EC":
            return ECKey.import_key(jwk)
        return RSAKey.import_key(jwk)
    except (JoseError, ValueError, TypeError) as exc:
        raise ProofError(f"the JWT key is not a valid {kty} JWK: {exc}", "malformed") from None


def _key_for(
    header: dict[str, Any], alg: str, resolver: KeyResolver
) -> tuple[Any, str | None, str]:
    """(joserfc key, controller, source) from the ``jwk`` header or from ``kid``."""
    from microcred.core.verify.resolver import ResolutionError

    if "jwk" in header:
        return _import_jwk(header["jwk"], alg), None, "jwk"
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise ProofError(
            "the JWT names no key: it has neither a kid nor a jwk header", "unresolved"
        )
    try:
        resolved = resolver.resolve(kid)
    except ResolutionError as exc:
        raise ProofError(f"issuer key could not be resolved: {exc}", "unresolved") from None
    if resolved.ed25519 is not None:
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(resolved.ed25519.public_key)}
    else:
        jwk = resolved.jwk or {}
    if resolved.authorised_for("assertionMethod") is False:
        raise ProofError(
            f"{kid} is not authorised for assertionMethod by its controller", "unauthorised"
        )
    return _import_jwk(jwk, alg), resolved.controller, "kid"


def _credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    if "vc" in payload:
        if not isinstance(payload["vc"], dict):
            raise ProofError("the JWT's vc claim is not a JSON object", "malformed")
        return dict(payload["vc"])
    return {k: v for k, v in payload.items() if k not in REGISTERED_CLAIMS}


def _check_claims(payload: dict[str, Any], credential: dict[str, Any]) -> None:
    """The JWT claims must say what the credential says (OB 3.0 JWT proof, claim rules)."""
    if not isinstance(payload.get("iss"), str):
        raise ProofError("the JWT has no iss claim", "malformed")
    expected = {
        "iss": {_issuer_id(credential)},
        "jti": {credential.get("id")},
        "sub": {_subject_id(credential)},
    }
    try:
        expected["nbf"] = {_epoch(credential.get(f), f) for f in ("validFrom", "issuanceDate")}
        expected["exp"] = {_epoch(credential.get(f), f) for f in ("validUntil", "expirationDate")}
    except InputError as exc:
        raise ProofError(f"the credential has a bad date: {exc}", "malformed") from None
    for claim, allowed in expected.items():
        allowed.discard(None)
        value = payload.get(claim)
        if claim in ("nbf", "exp") and isinstance(value, (int, float)):
            value = int(value)
        if value is not None and allowed and value not in allowed:
            raise ProofError(
                f"the JWT {claim} claim {value!r} does not match the credential", "claims"
            )
        if value is None and claim == "exp" and allowed:
            raise ProofError("the credential has validUntil but the JWT has no exp claim", "claims")


def verify_jwt(token: str, resolver: KeyResolver) -> JwtCheck:
    """Verify a compact VC-JWT; never raises for bad input, returns a failed check."""
    header: dict[str, Any] = {}
    payload: dict[str, Any] = {}
    credential = None
    alg = kid = controller = source = None
    try:
        header, payload = _parse(token)
        kid = header.get("kid") if isinstance(header.get("kid"), str) else None
        credential = _credential_of(payload)
        alg = _check_header(header)
        key, controller, source = _key_for(header, alg, resolver)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jws.deserialize_compact(token.strip(), key, algorithms=[alg], registry=_REGISTRY)
        except JoseError:
            raise ProofError(
                "JWT signature does not match: the token was changed after signing, "
                "or signed with another key",
                "signature",
            ) from None
        _check_claims(payload, credential)
    except ProofError as exc:
        return JwtCheck(
            False, exc.message, alg, kid, controller, source, credential, header, payload, exc.code
        )
    return JwtCheck(
        True,
        f"VC-JWT {alg} signature verified",
        alg,
        kid,
        controller,
        source,
        credential,
        header,
        payload,
    )
