"""did:key (Ed25519) and did:web DID documents.

did:key documents are computed locally from the DID itself. did:web documents
list every key an issuer ever used: old keys stay in ``verificationMethod`` and
``assertionMethod`` so credentials signed before a rotation still verify; only
the active key is listed for ``authentication``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

from microcred.core.crypto.keys import MULTIKEY_CONTEXT, Ed25519KeyPair, did_key_for
from microcred.core.crypto.multibase import ED25519_PUB_HEADER, decode_multikey
from microcred.core.errors import InputError, KeyFormatError

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
DID_DOCUMENT_CONTEXT = [DID_CONTEXT, MULTIKEY_CONTEXT]
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~%-]+$")


def did_key(key: Ed25519KeyPair) -> str:
    """The did:key DID of ``key``."""
    return did_key_for(key.public_key_multibase)


def did_key_vm_id(key: Ed25519KeyPair) -> str:
    """``did:key:z6Mk…#z6Mk…``: always with the fragment (bare DIDs break verifiers)."""
    return f"{did_key(key)}#{key.public_key_multibase}"


def parse_did_key(did_url: str) -> str:
    """Check a did:key DID or DID URL and return its ``publicKeyMultibase``."""
    if not isinstance(did_url, str) or not did_url.startswith("did:key:"):
        raise KeyFormatError("not a did:key DID", where=str(did_url))
    did, _, fragment = did_url.partition("#")
    multibase = did[len("did:key:") :]
    if fragment and fragment != multibase:
        raise KeyFormatError("the did:key fragment must repeat the key", where=did_url)
    decode_multikey(multibase, ED25519_PUB_HEADER, (32,), where=did_url)
    return multibase


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 did:key (fragment, if any, is ignored)."""
    multibase = parse_did_key(did)
    controller = did_key_for(multibase)
    vm_id = f"{controller}#{multibase}"
    return {
        "@context": list(DID_DOCUMENT_CONTEXT),
        "id": controller,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": multibase,
            }
        ],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityDelegation": [vm_id],
        "capabilityInvocation": [vm_id],
    }


def did_web_from_host(host_and_path: str) -> str:
    """``example.edu:issuers:1`` (or ``https://example.edu:8443/issuers/1``) -> did:web DID.

    Path segments are separated by ``:`` or ``/``. A port is recognised after the host
    (``host:8443`` or ``host:8443/…``) and percent-encoded as the did:web spec requires.
    """
    text = host_and_path.strip()
    for scheme in ("https://", "http://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    text = text.strip("/")
    if "/" in text:
        authority, _, path = text.partition("/")
        host, _, port = authority.partition(":")
        segments = [s for s in path.split("/") if s]
    else:
        host, *segments = text.split(":")
        port = segments.pop(0) if segments and segments[0].isdigit() else ""
    if not _HOST.match(host):
        raise InputError(f"{host!r} is not a valid host name", where="did:web host")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise InputError(f"{port!r} is not a valid port", where="did:web host")
    if segments and segments[-1] == "did.json":
        segments.pop()
    parts = [host.lower() + (f"%3A{port}" if port else "")]
    parts += [quote(unquote(segment), safe="") for segment in segments]
    return "did:web:" + ":".join(parts)


def did_web_url(did: str) -> str:
    """The https URL of the DID document of a did:web DID (did:web spec §3.2 Read)."""
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise InputError("not a did:web DID", where=str(did))
    body = did[len("did:web:") :].split("#", 1)[0].split("?", 1)[0]
    host_part, *segments = body.split(":")
    host = unquote(host_part)
    name, _, port = host.partition(":")
    if (
        not _HOST.match(name)
        or (port and not port.isdigit())
        or not all(_SEGMENT.match(s) for s in segments)
    ):
        raise InputError("malformed did:web DID", where=did)
    if any(unquote(s) in ("", ".", "..") or "/" in unquote(s) for s in segments):
        raise InputError("malformed did:web path segment", where=did)
    path = "/".join(segments) if segments else ".well-known"
    return f"https://{host}/{path}/did.json"


def did_web_keys(
    did: str, keys: list[Ed25519KeyPair], *, fragment: str = "index"
) -> list[Ed25519KeyPair]:
    """The keys re-identified under ``did``: ``#key-1``, ``#key-2``… or ``#z6Mk…``."""
    if fragment not in ("index", "multibase"):
        raise InputError("fragment must be 'index' or 'multibase'", where="fragment")
    named = []
    for number, key in enumerate(keys, start=1):
        suffix = f"key-{number}" if fragment == "index" else key.public_key_multibase
        named.append(key.with_identity(controller=did, id=f"{did}#{suffix}"))
    return named


def did_web_document(
    did: str,
    keys: list[Ed25519KeyPair],
    active: Ed25519KeyPair | None = None,
    *,
    fragment: str = "index",
) -> dict[str, Any]:
    """A did:web document listing every key, oldest first; ``active`` (default: last) authenticates.

    Keys whose ``id`` already lies under ``did`` keep it; the others get ``#key-N``
    (position in ``keys``) or ``#<publicKeyMultibase>`` with ``fragment="multibase"``.
    """
    did_web_url(did)  # validates the DID
    if not keys:
        raise InputError("a did:web document needs at least one key", where="keys")
    renamed = did_web_keys(did, keys, fragment=fragment)
    named = [k if k.id.startswith(did + "#") else r for k, r in zip(keys, renamed, strict=True)]
    ids = [key.id for key in named]
    if len(set(ids)) != len(ids):
        raise InputError("two keys have the same verification method id", where="keys")
    current = active or keys[-1]
    positions = [i for i, key in enumerate(keys) if key.public_key == current.public_key]
    if not positions:
        raise InputError("the active key is not one of the document's keys", where="active")
    return {
        "@context": list(DID_DOCUMENT_CONTEXT),
        "id": did,
        "verificationMethod": [key.to_multikey(include_context=False) for key in named],
        "assertionMethod": ids,
        "authentication": [ids[positions[0]]],
    }
