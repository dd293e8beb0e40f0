"""The platform's signing identity: which DID it has and its current key.

Decision (also in docs/operations.md, "The platform key"): the platform is
``did:web:<host>`` (document at ``<base>/.well-known/did.json``) when ``MICROCRED_BASE_URL``
is https **and has no path** (did:web puts a path DID's document at ``<path>/did.json``,
which a platform mounted under a prefix cannot serve at its root). Otherwise (development,
the demo, a prefix) it is the did:key of its key: CLRs then verify anywhere without
fetching anything, but a did:key cannot rotate (a new key is a new DID).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.core.crypto.did import did_key_document, did_web_document, did_web_from_host
from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.multibase import ED25519_PUB_HEADER, decode_multikey
from microcred.portability.models import PlatformKey
from microcred.providers import kek
from microcred.providers.keystore import KeyStoreError, decrypt_seed, encrypt_seed

WEB, KEY = "web", "key"
PLATFORM_NAME = "microcred"


def base_url() -> str:
    return str(settings.MICROCRED_BASE_URL).rstrip("/")


def did_method(url: str | None = None) -> str:
    parts = urlsplit(url or base_url())
    return WEB if parts.scheme == "https" and parts.path in ("", "/") else KEY


def platform_did() -> str | None:
    """The platform's did:web, or None when it signs as a did:key (see the module note)."""
    return did_web_from_host(base_url()) if did_method() == WEB else None


def _binding(did: str, key_id: str) -> bytes:
    return f"microcred-platform-key:v1\n{did}\n{key_id}".encode()


def _current() -> PlatformKey | None:
    rows = PlatformKey.objects.filter(retired_at__isnull=True)
    did = platform_did()
    rows = rows.filter(did=did) if did else rows.filter(did__startswith="did:key:")
    return rows.order_by("-created_at", "-id").first()


def _create() -> PlatformKey:
    key = Ed25519KeyPair.generate()
    did = platform_did()
    if did is None:
        did, key_id = key.did_key, key.public_key_multibase
    else:
        key_id = f"key-{PlatformKey.objects.filter(did=did).count() + 1}"
    assert key.seed is not None  # a generated key has its secret
    sealed = encrypt_seed(
        key.seed, kek=settings.KEY_ENCRYPTION_KEY, associated_data=_binding(did, key_id)
    )
    try:
        with transaction.atomic():
            return PlatformKey.objects.create(
                did=did,
                key_id=key_id,
                public_key_multibase=key.public_key_multibase,
                sealed_secret=sealed,
            )
    except IntegrityError:  # another process made key-N a moment ago: use the current one
        current = _current()
        if current is None:
            raise
        return current


def signing_key() -> Ed25519KeyPair:
    """The platform's current key with its secret (made and stored on first use)."""
    row = _current() or _create()
    seed = decrypt_seed(
        row.sealed_secret,
        kek=kek.reading(),  # the old KEK too while a KEK rotation is under way
        associated_data=_binding(row.did, row.key_id),
    )
    key = Ed25519KeyPair.from_seed(seed, controller=row.did, id=f"{row.did}#{row.key_id}")
    if key.public_key_multibase != row.public_key_multibase:
        raise KeyStoreError(f"the stored platform key {row.did}#{row.key_id} does not match")
    return key


def rotate() -> PlatformKey:
    """Retire the current key and make a new one. For did:web the old key stays in the DID
    document (CLRs signed with it keep verifying); under did:key the new key is a new DID."""
    with transaction.atomic():
        PlatformKey.objects.filter(pk__in=[k.pk for k in [_current()] if k]).update(
            retired_at=timezone.now()
        )
        return _create()


def did_document() -> dict[str, Any] | None:
    """The platform's did:web document (every key, oldest first; the current one
    authenticates), or None when the platform is no did:web."""
    did = platform_did()
    if did is None:
        return None
    if _current() is None:  # first use: the document is asked for before any CLR was signed
        _create()
    rows = list(PlatformKey.objects.filter(did=did))
    keys = [
        Ed25519KeyPair(
            decode_multikey(r.public_key_multibase, ED25519_PUB_HEADER, (32,), where="key"),
            controller=did,
            id=f"{did}#{r.key_id}",
        )
        for r in rows
    ]
    current = _current()
    active = next((k for k, r in zip(keys, rows, strict=True) if r == current), keys[-1])
    return did_web_document(did, keys, active)


def controller_document(did: str) -> dict[str, Any]:
    """The DID document a verifier resolves for ``did`` (tests, and the export page)."""
    if did.startswith("did:key:"):
        return did_key_document(did)
    document = did_document()
    if document is None or document["id"] != did:
        raise KeyStoreError(f"{did} is not this platform's DID")
    return document
