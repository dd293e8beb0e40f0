"""Turn whatever a user hands the verifier into a credential: JSON, a VC-JWT, a baked PNG or SVG."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from microcred.core import jsonio
from microcred.core.errors import InputError

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class DecodedInput:
    """A credential as found in the input, before any check."""

    #: "json" (embedded proof or none), "jwt" (VC-JWT), "ob2" (an Open Badges 2.0 assertion),
    #: "vp" (a Verifiable Presentation)
    encoding: str
    document: dict[str, Any]
    jwt: str | None = None
    #: where it came from inside a container, e.g. "baked PNG"
    container: str | None = None


def is_compact_jws(text: str) -> bool:
    return bool(_JWS.match(text.strip()))


def jwt_payload(token: str, *, where: str | None = None) -> dict[str, Any]:
    """The JSON payload of a compact JWS, without checking its signature."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise InputError("not a compact JWS (expected three dot-separated parts)", where=where)
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
    except ValueError:
        raise InputError("JWT payload is not base64url", where=where) from None
    payload = jsonio.loads_object(raw, where=where)
    return payload


def credential_from_jwt(token: str, *, where: str | None = None) -> dict[str, Any]:
    """OB 3.0 VC-JWTs carry the credential as the payload; VC 1.1-style ones in the ``vc`` claim."""
    payload = jwt_payload(token, where=where)
    inner = payload.get("vc")
    if isinstance(inner, dict):
        return inner
    return payload


def decode_text(
    text: str, *, where: str | None = None, container: str | None = None
) -> DecodedInput:
    stripped = text.strip()
    if not stripped:
        raise InputError("empty input", where=where)
    if stripped.startswith("{"):
        document = jsonio.loads_object(stripped, where=where)
        if "payload" in document and "signatures" in document:
            raise InputError(
                "a JWS in JSON serialization (an X.509 / eIDAS seal, as European Digital "
                "Credentials use): microcred checks Data Integrity proofs and compact JWTs only",
                where=where,
            )
        return DecodedInput(encoding_of(document), document, container=container)
    if is_compact_jws(stripped):
        document = credential_from_jwt(stripped, where=where)
        encoding = "ob2" if _is_ob2(document) else "jwt"
        return DecodedInput(encoding, document, jwt=stripped, container=container)
    raise InputError("not a credential: expected JSON, a JWT, a PNG or an SVG", where=where)


def decode_bytes(data: bytes, *, where: str | None = None) -> DecodedInput:
    """Decode a file's bytes: a baked image is unbaked first."""
    head = data.lstrip()[:256]
    if data.startswith(PNG_MAGIC) or head.startswith(b"<"):
        from microcred.core.crypto.baking import unbake

        baked = unbake(data)
        kind = "baked PNG" if data.startswith(PNG_MAGIC) else "baked SVG"
        if baked.encoding == "url":
            raise InputError(
                f"{kind} holds only a hosted-assertion URL ({baked.text})", where=where
            )
        return decode_text(baked.text, where=where, container=kind)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text, nor a PNG or SVG image", where=where) from None
    return decode_text(text, where=where)


def encoding_of(document: dict[str, Any]) -> str:
    """ "ob2", "vp" or "json" for a JSON document (see :attr:`DecodedInput.encoding`)."""
    from microcred.core.crypto.presentations import is_presentation

    if _is_ob2(document):
        return "ob2"
    return "vp" if is_presentation(document) else "json"


#: OB 2.0 document types besides Assertion, recognised even under an inline @context
OB2_TYPES = frozenset(
    {"Assertion", "BadgeClass", "Issuer", "CryptographicKey", "RevocationList", "Endorsement"}
)


def _is_ob2(document: dict[str, Any]) -> bool:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    kind = document.get("type")
    return any(isinstance(c, str) and "openbadges/v2" in c for c in contexts) or (
        isinstance(kind, str) and kind in OB2_TYPES
    )
