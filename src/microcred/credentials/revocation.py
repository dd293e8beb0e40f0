"""Revoke, suspend and unsuspend: the credential's state, its status bit and an audit event,
in one transaction. Revocation is final; suspension can be lifted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from microcred.credentials import statuslists
from microcred.credentials.models import IssuedCredential
from microcred.pathways import hooks as pathway_hooks
from microcred.platform.faults import pause_point
from microcred.providers.models import Membership
from microcred.providers.services import User, record_event, require_role
from microcred.talent import hooks as talent_hooks

REVOKERS = (Membership.Role.OWNER, Membership.Role.ISSUER)
State = IssuedCredential.State


def _locked(actor: User, credential: IssuedCredential) -> IssuedCredential:
    require_role(actor, credential.provider, REVOKERS)
    row = (
        IssuedCredential.objects.select_for_update()
        .select_related("provider")
        .get(pk=credential.pk)
    )
    return row


def _finish(actor: User, row: IssuedCredential, credential: IssuedCredential, action: str) -> None:
    row.save(update_fields=["state", "reason", "revoked_at"])
    pathway_hooks.credential_changed(row)
    talent_hooks.credential_changed(row)
    record_event(
        action=action,
        actor=actor,
        provider=row.provider,
        subject=row.credential_id,
        details={"reason": row.reason},
    )
    credential.state, credential.reason, credential.revoked_at = (
        row.state,
        row.reason,
        row.revoked_at,
    )


def _suspension_index(row: IssuedCredential) -> int:
    if row.suspension_index is None:
        raise ValidationError(
            {
                "state": "this credential carries a revocation entry: it can be revoked, not "
                "suspended (a definition with status purpose 'suspension' issues suspendable ones)"
            }
        )
    return row.suspension_index


def _set_bit(row: IssuedCredential, purpose: str, index: int, value: int) -> None:
    """Flip the bit on the list the credential's index is on (lists roll over when full)."""
    list_id = statuslists.list_id_of(row.provider, purpose, row.document, row.status_list_id)
    statuslists.set_bit(row.provider, purpose, index, value, list_id=list_id)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "give a reason"})
    return reason


@transaction.atomic
def revoke(*, actor: User, credential: IssuedCredential, reason: str) -> IssuedCredential:
    """Revoke for good: the revocation bit is set and never cleared."""
    row = _locked(actor, credential)
    if row.state == State.REVOKED:
        raise ValidationError({"state": "the credential is already revoked"})
    row.reason = _reason(reason)
    if row.status_index is not None:
        _set_bit(row, "revocation", row.status_index, 1)
    else:  # a suspendable credential is revoked by suspending it for good
        _set_bit(row, "suspension", _suspension_index(row), 1)
    row.state, row.revoked_at = State.REVOKED, timezone.now()
    pause_point("revocation.bit-set")  # test-only: a kill here must roll the bit back
    _finish(actor, row, credential, "credential.revoked")
    return credential


@transaction.atomic
def suspend(*, actor: User, credential: IssuedCredential, reason: str) -> IssuedCredential:
    """Suspend an active credential (verifiers see it as invalid until unsuspended)."""
    row = _locked(actor, credential)
    if row.state != State.ACTIVE:
        raise ValidationError(
            {"state": f"only an active credential can be suspended ({row.state})"}
        )
    row.reason = _reason(reason)
    _set_bit(row, "suspension", _suspension_index(row), 1)
    row.state = State.SUSPENDED
    _finish(actor, row, credential, "credential.suspended")
    return credential


@transaction.atomic
def unsuspend(*, actor: User, credential: IssuedCredential, reason: str = "") -> IssuedCredential:
    """Lift a suspension; a revoked credential stays revoked."""
    row = _locked(actor, credential)
    if row.state != State.SUSPENDED:
        raise ValidationError(
            {"state": f"only a suspended credential can be unsuspended ({row.state})"}
        )
    _set_bit(row, "suspension", _suspension_index(row), 0)
    row.state, row.reason = State.ACTIVE, (reason or "").strip()
    _finish(actor, row, credential, "credential.unsuspended")
    return credential
