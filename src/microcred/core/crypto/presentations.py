"""Verifiable Presentations (VC Data Model 2.0 §4.13) signed by their holder.

A presentation wraps credentials the holder chooses and proves, with a Data Integrity
``eddsa-rdfc-2022`` proof of purpose ``authentication``, that the holder sent them to this
verifier now: the verifier's ``challenge`` (a nonce) and ``domain`` are inside the signed
proof, so a captured presentation cannot be replayed elsewhere.

Credentials secured as VC-JWTs are embedded as ``EnvelopedVerifiableCredential`` objects
whose ``id`` is a ``data:application/vc+jwt,<token>`` URL. That is the VC 2.0 form: in a
VC 2.0 presentation ``verifiableCredential`` is a graph container, so a bare JWT string
would be read as an IRI and no longer be the credential (VC 1.1 JWT-VPs carried bare
strings; the verifier still accepts them and says so).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from microcred.core.errors import InputError, SigningError

if TYPE_CHECKING:
    from microcred.core.crypto.keys import Ed25519KeyPair

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PRESENTATION_TYPE = "VerifiablePresentation"
ENVELOPED_TYPE = "EnvelopedVerifiableCredential"
ENVELOPE_PREFIX = "data:application/vc+jwt,"
# Media types seen in the wild for a JWT-secured credential in a data: URL.
JWT_MEDIA_TYPES = ("application/vc+jwt", "application/vc-ld+jwt", "application/jwt")


def envelope_jwt(token: str) -> dict[str, Any]:
    """A VC-JWT as an EnvelopedVerifiableCredential (VC 2.0 §4.13.1)."""
    return {"@context": VC2_CONTEXT, "id": ENVELOPE_PREFIX + token.strip(), "type": ENVELOPED_TYPE}


def jwt_of_envelope(envelope: dict[str, Any]) -> str | None:
    """The JWT inside an EnvelopedVerifiableCredential's data: URL, or None if it holds none."""
    url = envelope.get("id")
    if not isinstance(url, str) or not url.startswith("data:"):
        return None
    media, sep, token = url[len("data:") :].partition(",")
    if not sep or media.split(";")[0] not in JWT_MEDIA_TYPES or ";base64" in media:
        return None
    return token.strip() or None


def _embedded(credential: dict[str, Any] | str, position: int) -> dict[str, Any]:
    where = f"credential {position}"
    if isinstance(credential, str):
        from microcred.core.verify.inputs import is_compact_jws

        if not is_compact_jws(credential):
            raise InputError("a string credential must be a compact VC-JWT", where=where)
        return envelope_jwt(credential)
    if not isinstance(credential, dict):
        raise InputError("a credential must be a JSON object or a VC-JWT", where=where)
    if "proof" not in credential and credential.get("type") != ENVELOPED_TYPE:
        # A holder cannot vouch for what the issuer said: only secured credentials go in.
        raise InputError("the credential has no proof; only signed credentials", where=where)
    return credential


def build_presentation(
    credentials: list[dict[str, Any] | str], *, holder: str, presentation_id: str | None = None
) -> dict[str, Any]:
    """The unsigned presentation of ``credentials`` (JWTs enveloped)."""
    if not holder:
        raise InputError("a presentation needs a holder", where="holder")
    presentation: dict[str, Any] = {
        "@context": [VC2_CONTEXT],
        "type": [PRESENTATION_TYPE],
        "holder": holder,
        "verifiableCredential": [_embedded(c, i) for i, c in enumerate(credentials, 1)],
    }
    if presentation_id:
        presentation = {"id": presentation_id, **presentation}
    return presentation


def sign_presentation(
    credentials: list[dict[str, Any] | str],
    key: Ed25519KeyPair,
    *,
    holder: str,
    challenge: str,
    domain: str | None = None,
    created: str | datetime | None = None,
    presentation_id: str | None = None,
) -> dict[str, Any]:
    """A W3C VC 2.0 VerifiablePresentation signed by ``key`` (eddsa-rdfc-2022,
    ``authentication``), with ``challenge`` and ``domain`` in the proof.

    The key must belong to ``holder`` (its controller): a verifier refuses a presentation
    whose proof was made with someone else's key."""
    from microcred.core.crypto.suites.base import sign_credential

    if not challenge:
        raise SigningError("a presentation needs the verifier's challenge")
    if key.controller != holder:
        raise SigningError(f"the key {key.id} belongs to {key.controller}, not to {holder}")
    unsigned = build_presentation(credentials, holder=holder, presentation_id=presentation_id)
    return sign_credential(
        unsigned,
        key,
        suite="eddsa-rdfc-2022",
        created=created,
        proof_purpose="authentication",
        challenge=challenge,
        domain=domain,
        check_issuer=False,
    )


def is_presentation(document: dict[str, Any]) -> bool:
    raw = document.get("type")
    types = raw if isinstance(raw, list) else [raw]
    return PRESENTATION_TYPE in types
