"""The compromised-key procedure: take a provider key out of its DID document, rotate, and
re-issue what it signed with the new key (``microcred keys compromised``).

Decisions (docs/operations.md, "A compromised provider key"):

- A compromised key leaves the DID document altogether (``verificationMethod`` and
  ``assertionMethod``), so every credential it signed, genuine or forged, fails the proof
  check. The row stays (``compromised_at``) as the record, and a ``key.compromised`` event
  says who and when. Only did:web providers: a did:key provider's DID *is* its key.
- Which credentials a key signed is read from their proof's ``verificationMethod`` (the
  stored document is never changed after issuing), not guessed from dates.
- Re-issuing copies the old document (same recipient, achievement, claims, validity; the
  same definition version) with a new id, a new status entry and the new key's proof; the
  old credential is revoked through its status list in the same transaction. Only active
  credentials are re-issued (a suspended one waits until it is unsuspended). Batches of
  ``batch`` credentials, one transaction each; the idempotency key ``reissue:<old id>``
  makes a second run re-issue nothing twice, also after an interruption.
- Status lists the provider signed may be signed by the compromised key: their cached
  signatures are dropped, so they are re-signed with the new key on the next request.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from microcred.core.crypto.suites.base import BatchSigner
from microcred.credentials import issuing, revocation, statuslists
from microcred.credentials.models import IssuedCredential, StatusList
from microcred.providers import identity, selectors, services
from microcred.providers.models import Membership, Provider, ProviderKey
from microcred.providers.services import User, record_event, require_role

OWNERS = (Membership.Role.OWNER,)
REISSUE_PREFIX = "reissue:"
State = IssuedCredential.State


@dataclass
class ReissueResult:
    reissued: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    already: int = 0
    not_active: int = 0


def reissue_key(credential_id: str) -> str:
    """The idempotency key of the re-issue of ``credential_id``."""
    return f"{REISSUE_PREFIX}{credential_id}"


def key_of(provider: Provider, key_id: str) -> ProviderKey:
    try:
        return ProviderKey.objects.get(provider=provider, key_id=key_id)
    except ProviderKey.DoesNotExist:
        known = ", ".join(k.key_id for k in selectors.provider_keys(provider))
        raise ValidationError(
            {"key_id": f"{provider.slug} has no key {key_id!r} (its keys: {known})"}
        ) from None


@transaction.atomic
def mark_compromised(
    *, actor: User, provider: Provider, key_id: str
) -> tuple[ProviderKey, ProviderKey | None]:
    """Mark ``key_id`` compromised (idempotent) and rotate if it was the active key.
    Returns the key and the new active key (None when no rotation was needed)."""
    require_role(actor, provider, OWNERS)
    provider = Provider.objects.select_for_update(no_key=True).get(pk=provider.pk)
    if provider.did_method == identity.KEY:
        raise ValidationError(
            {
                "did_method": [
                    "a did:key provider's DID is its key: it cannot be taken out of a DID "
                    "document. Create a new provider, re-issue there and revoke these credentials"
                ]
            }
        )
    key = key_of(provider, key_id)
    if key.compromised_at is not None:
        return key, None
    rotated = (
        services.rotate_key(actor=actor, provider=provider) if key.retired_at is None else None
    )
    key.refresh_from_db(fields=["retired_at"])
    key.compromised_at = timezone.now()
    key.save(update_fields=["compromised_at"])
    # Lists may carry the compromised key's signature: re-sign them with the active key.
    StatusList.objects.filter(provider=provider).update(signed=None)
    details = {
        "verificationMethod": identity.vm_id(provider.did, key.key_id),
        "publicKeyMultibase": key.public_key_multibase,
        "active": selectors.active_key(provider).key_id,
    }
    record_event(
        action="key.compromised",
        actor=actor,
        provider=provider,
        subject=key.key_id,
        details=details,
    )
    return key, rotated


def _methods(document: dict[str, Any]) -> set[str]:
    proofs = document.get("proof") or []
    proofs = proofs if isinstance(proofs, list) else [proofs]
    return {str(p.get("verificationMethod")) for p in proofs if isinstance(p, dict)}


def signed_by(
    provider: Provider, key: ProviderKey, *, since: datetime | None = None
) -> list[IssuedCredential]:
    """The provider's credentials whose proof names ``key``, oldest first."""
    method = identity.vm_id(provider.did, key.key_id)
    rows = IssuedCredential.objects.filter(provider=provider).order_by("issued_at", "pk")
    if since is not None:
        rows = rows.filter(issued_at__gte=since)
    return [row for row in rows.iterator(chunk_size=500) if method in _methods(row.document)]


def _chunks(rows: list[IssuedCredential], size: int) -> Iterator[list[IssuedCredential]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def reissue(
    *,
    actor: User,
    provider: Provider,
    key_id: str,
    since: datetime | None = None,
    batch: int = 100,
) -> ReissueResult:
    """Re-issue every active credential ``key_id`` signed with the active key, revoking the
    old ones (see module doc). The key must have been marked compromised first."""
    require_role(actor, provider, OWNERS)
    key = key_of(provider, key_id)
    if key.compromised_at is None:
        raise ValidationError({"key_id": f"{key_id} is not marked compromised"})
    if batch < 1:
        raise ValidationError({"batch": "a batch is at least 1 credential"})
    result = ReissueResult()
    done = set(
        IssuedCredential.objects.filter(
            provider=provider, idempotency_key__startswith=REISSUE_PREFIX
        ).values_list("idempotency_key", flat=True)
    )
    todo = []
    for row in signed_by(provider, key, since=since):
        if reissue_key(row.credential_id) in done:
            result.already += 1
        elif row.state != State.ACTIVE:
            result.not_active += 1
        else:
            todo.append(row)
    for chunk in _chunks(todo, batch):
        _reissue_chunk(actor, provider, key, chunk, result)
    return result


@transaction.atomic
def _reissue_chunk(
    actor: User,
    provider: Provider,
    key: ProviderKey,
    chunk: Iterable[IssuedCredential],
    result: ReissueResult,
) -> None:
    signer = BatchSigner(services.signing_key(provider), suite=issuing.SUITE)
    for old in chunk:
        old = (
            IssuedCredential.objects.select_for_update().select_related("definition").get(pk=old.pk)
        )
        done = IssuedCredential.objects.filter(
            provider=provider, idempotency_key=reissue_key(old.credential_id)
        ).exists()
        if done or old.state != State.ACTIVE:
            result.already += done
            result.not_active += not done
            continue
        new = _reissued(actor, provider, old, signer)
        _carry_over(actor, old, new)
        reason = f"signing key {key.key_id} compromised; re-issued as {new.credential_id}"
        revocation.revoke(actor=actor, credential=old, reason=reason)
        record_event(
            action="credential.reissued",
            actor=actor,
            provider=provider,
            subject=old.credential_id,
            details={"reissued_as": new.credential_id, "compromised_key": key.key_id},
        )
        result.reissued.append((old.credential_id, new.credential_id))


def _reissued(
    actor: User, provider: Provider, old: IssuedCredential, signer: BatchSigner
) -> IssuedCredential:
    """A copy of ``old`` with a new id and status entry, signed with the active key, stored
    (audit event, claim email, pathway and talent hooks) like any issued credential."""
    [allocation] = statuslists.allocate(provider, old.definition.status_purpose)
    unsigned = copy.deepcopy(old.document)
    unsigned.pop("proof", None)
    unsigned["id"] = f"urn:uuid:{uuid.uuid4()}"
    unsigned["credentialStatus"] = allocation.entry
    document = signer.sign(unsigned)
    assert isinstance(document, dict)  # a Data Integrity suite, not vc-jwt
    recipient = (old.recipient_email, old.recipient_did)
    issued_at = timezone.now().replace(microsecond=0)
    row = issuing._row(
        old.definition, document, recipient, allocation, reissue_key(old.credential_id), issued_at
    )
    return issuing._store(actor, row)


def _carry_over(actor: User, old: IssuedCredential, new: IssuedCredential) -> None:
    """What hangs on the old credential moves to its replacement, before the old one is
    revoked: the learner who claimed it owns the new one (no claim email is sent then), and
    pathway awards count the new one as their component, or are the new one, so revoking
    the old does not flag or suspend a stacked credential that is still complete."""
    from microcred.delivery.models import ClaimInvitation
    from microcred.delivery.services import invitation_for
    from microcred.pathways.models import PathwayAward

    claimed = ClaimInvitation.objects.filter(credential=old, claimed_by__isnull=False).first()
    if claimed is not None:
        invitation = invitation_for(new)
        invitation.claimed_by_id, invitation.claimed_at = claimed.claimed_by_id, timezone.now()
        invitation.save(update_fields=["claimed_by", "claimed_at"])
        details = {"via": "reissue", "reissue_of": old.credential_id}
        record_event(
            action="credential.claimed",
            actor=actor,
            provider=new.provider,
            subject=new.credential_id,
            details=details,
        )
    PathwayAward.objects.filter(credential=old).update(credential=new)
    # Text match first (JSON containment is not available on SQLite), exact check after.
    awards = PathwayAward.objects.select_for_update().filter(
        components__icontains=old.credential_id
    )
    for award in awards:
        if old.credential_id in award.components:
            award.components = [
                new.credential_id if c == old.credential_id else c for c in award.components
            ]
            award.save(update_fields=["components"])
