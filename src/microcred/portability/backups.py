"""Writing a learner's backup file: everything the learner owns, as one JSON document.

Format ``microcred-backup`` version 1 (documented field by field in docs/wallet.md,
"Export, backup and deletion"). Every credential keeps the exact bytes the learner
imported (base64), so a baked badge or a VC-JWT keeps its proof; the holder key's seed is
sealed under the learner's passphrase (``sealing.py``), never in plain text; every entry
and section carries an HMAC so a restore can name what was changed. Reading it back is
``restore.py``.
"""

from __future__ import annotations

import json
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.apps import apps

from microcred.core.model.builder import now_z
from microcred.delivery.selectors import credentials_of_user
from microcred.obapi.models import LearnerProfile, UploadedCredential
from microcred.portability import sealing
from microcred.wallet import holder
from microcred.wallet.models import HolderKey, WalletCredential

FORMAT = "microcred-backup"
VERSION = 1
SECTIONS = ("account", "credentials", "claimed", "obApi", "sharing", "holderKey")
LIST_SECTIONS = ("credentials", "claimed")


def holder_binding(did: str) -> bytes:
    """What the backup's sealed holder seed is bound to (AES-GCM associated data)."""
    return f"microcred-backup-holder-key:v1\n{did}".encode()


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _account(owner: Any) -> dict[str, Any]:
    emails = EmailAddress.objects.filter(user=owner).order_by("-primary", "email")
    return {
        "emails": [{"email": e.email, "verified": e.verified, "primary": e.primary} for e in emails]
    }


def _credentials(owner: Any) -> list[dict[str, Any]]:
    rows = WalletCredential.objects.filter(owner=owner, issued__isnull=True).order_by("pk")
    return [
        {
            "source": row.source,
            "sourceName": row.source_name,
            "format": row.format,
            "original": sealing.b64(bytes(row.original) or json.dumps(row.document).encode()),
            "document": row.document,
            "report": row.report,
            "verdict": row.verdict,
            "verifiedAt": _when(row.verified_at),
            "addedAt": _when(row.added_at),
            "isPublic": row.is_public,
        }
        for row in rows
    ]


def _claimed(owner: Any) -> list[dict[str, Any]]:
    public = set(
        WalletCredential.objects.filter(
            owner=owner, issued__isnull=False, is_public=True
        ).values_list("issued__credential_id", flat=True)
    )
    return [
        {
            "credentialId": row.credential_id,
            "document": row.document,
            "claimedAt": _when(row.claim_invitation.claimed_at),
            "isPublic": row.credential_id in public,
        }
        for row in credentials_of_user(owner)
    ]


def _ob_api(owner: Any) -> dict[str, Any]:
    profile = LearnerProfile.objects.filter(user=owner).first()
    uploaded = UploadedCredential.objects.filter(user=owner).order_by("pk")
    return {
        "profile": {"name": profile.name, "email": profile.email} if profile else None,
        "uploaded": [
            {
                "issuerId": row.issuer_id,
                "credentialId": row.credential_id,
                "document": row.document,
                "compactJws": row.compact_jws,
            }
            for row in uploaded
        ],
    }


def _sharing(owner: Any) -> dict[str, Any] | None:
    """The sharing app's settings (profile, links for the record), if that app is installed."""
    if not apps.is_installed("microcred.sharing"):
        return None
    from microcred.sharing.models import Profile, ShareLink

    profile = Profile.objects.filter(owner=owner).first()
    links = ShareLink.objects.filter(owner=owner).order_by("pk")
    return {
        "profile": None
        if profile is None
        else {
            "isPublic": profile.is_public,
            "handle": profile.handle or "",
            "displayName": profile.display_name,
            "bio": profile.bio,
        },
        "links": [
            {
                "label": link.label,
                "credentials": link.keys,
                "expiresAt": _when(link.expires_at),
                "revokedAt": _when(link.revoked_at),
                "createdAt": _when(link.created_at),
            }
            for link in links
        ],
    }


def _holder_key(owner: Any, keys: sealing.Keys) -> dict[str, Any] | None:
    row = HolderKey.objects.filter(owner=owner).first()
    if row is None:
        return None
    seed = holder.holder_key(owner).seed  # opened with the KEK, checked against its DID
    assert seed is not None
    return {
        "did": row.did,
        "publicKeyMultibase": row.public_key_multibase,
        "sealedSeed": keys.seal(seed, holder_binding(row.did)),
    }


def with_macs(body: dict[str, Any], keys: sealing.Keys) -> dict[str, Any]:
    """``body`` with an HMAC on every list entry and section, then on the whole."""
    for name in SECTIONS:
        value = body.get(name)
        if name in LIST_SECTIONS:
            body[name] = [{**entry, "mac": keys.mac(entry)} for entry in value or []]
        elif isinstance(value, dict):
            body[name] = {**value, "mac": keys.mac(value)}
    return {**body, "mac": keys.mac(body)}


def make_backup(owner: Any, passphrase: str, *, platform: str = "") -> dict[str, Any]:
    """The backup document of ``owner``, protected with ``passphrase``."""
    kdf = sealing.new_kdf()
    keys = sealing.derive(passphrase, kdf)
    body: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "createdAt": now_z(),
        "platform": platform,
        "kdf": kdf,
        "check": keys.check,
        "account": _account(owner),
        "credentials": _credentials(owner),
        "claimed": _claimed(owner),
        "obApi": _ob_api(owner),
        "sharing": _sharing(owner),
        "holderKey": _holder_key(owner, keys),
    }
    return with_macs(body, keys)
