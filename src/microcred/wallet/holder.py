"""Writes for the learner's holder identity: a did:key made on first need (its seed sealed
with the platform's key-encryption key, like provider keys) and Verifiable Presentations
of chosen wallet credentials signed with it.

The sealed seed is bound to the user id and the DID (AES-GCM associated data): a row
copied onto another account cannot be opened there.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.presentations import sign_presentation
from microcred.core.errors import InputError
from microcred.providers import kek
from microcred.providers.keystore import KeyStoreError, decrypt_seed, encrypt_seed
from microcred.wallet import selectors
from microcred.wallet.models import HolderKey

MAX_FIELD = 200  # challenge and domain: what a verifier asks for is short


def _binding(owner_pk: int, did: str) -> bytes:
    return f"microcred-holder-key:v1\n{owner_pk}\n{did}".encode()


def holder_key(owner: Any) -> Ed25519KeyPair:
    """The learner's holder key (with its secret), made and stored on first use."""
    row = HolderKey.objects.filter(owner=owner).first()
    if row is None:
        row = _create(owner)
    seed = decrypt_seed(
        row.sealed_secret,
        kek=kek.reading(),  # the old KEK too while a KEK rotation is under way
        associated_data=_binding(owner.pk, row.did),
    )
    key = Ed25519KeyPair.from_seed(seed)
    if key.public_key_multibase != row.public_key_multibase or key.did_key != row.did:
        raise KeyStoreError(f"the stored holder key of {row.did} does not match its DID")
    return key


def _create(owner: Any) -> HolderKey:
    key = Ed25519KeyPair.generate()
    assert key.seed is not None  # generated keys always have their secret
    sealed = encrypt_seed(
        key.seed,
        kek=settings.KEY_ENCRYPTION_KEY,
        associated_data=_binding(owner.pk, key.did_key),
    )
    try:
        with transaction.atomic():
            return HolderKey.objects.create(
                owner=owner,
                did=key.did_key,
                public_key_multibase=key.public_key_multibase,
                sealed_secret=sealed,
            )
    except IntegrityError:  # made by a concurrent request a moment ago: use that one
        return HolderKey.objects.get(owner=owner)


def _secured(entry: selectors.WalletEntry) -> dict[str, Any] | str:
    """The credential as its issuer secured it: a VC-JWT stays a JWT."""
    if entry.item is not None and entry.item.format in ("vc-jwt", "baked-png", "baked-svg"):
        from microcred.core.verify.inputs import decode_bytes

        decoded = decode_bytes(bytes(entry.item.original))
        if decoded.jwt is not None:
            return decoded.jwt
    return entry.document


def presentation(
    owner: Any, keys: list[str], *, challenge: str = "", domain: str = ""
) -> dict[str, Any]:
    """A signed VP of the owner's chosen wallet entries (``keys`` as on the wallet page).
    Without a challenge, a random one is used (the verifier's own nonce is better).
    Raises InputError for an empty or unknown choice and for fields that are too long."""
    chosen = _chosen(owner, keys)
    challenge, domain = challenge.strip(), domain.strip()
    if len(challenge) > MAX_FIELD or len(domain) > MAX_FIELD:
        raise InputError(f"the challenge and domain are at most {MAX_FIELD} characters")
    key = holder_key(owner)
    return sign_presentation(
        [_secured(entry) for entry in chosen],
        key,
        holder=key.did_key,
        challenge=challenge or secrets.token_urlsafe(16),
        domain=domain or None,
    )


def _chosen(owner: Any, keys: list[str]) -> list[selectors.WalletEntry]:
    if not keys:
        raise InputError("choose at least one credential to present")
    entries = {entry.key: entry for entry in selectors.wallet_of(owner)}
    unknown = [key for key in keys if key not in entries]
    if unknown:
        raise Http404("No such credential in your wallet.")
    return [entries[key] for key in dict.fromkeys(keys)]
