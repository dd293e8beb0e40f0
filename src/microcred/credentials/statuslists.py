"""Status list service: race-free index allocation, bit changes and the signed list.

The bits live in the ``StatusList`` row; the pure logic is the engine's
``StatusListState``, built from the row's bytes and written back. Every change locks
the row (``select_for_update``) inside a transaction, so concurrent issuers never get
the same index; an index, once handed out, is never handed out again (even if the
credential it was meant for was never stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from microcred.core.crypto.statuslist import MIN_ENTRIES, StatusListState
from microcred.core.crypto.statuslist import StatusList as Bits
from microcred.core.crypto.suites.base import sign_credential
from microcred.credentials.models import StatusList
from microcred.providers.models import Provider
from microcred.providers.services import signing_key

LIST_BYTES = MIN_ENTRIES // 8  # 16 KiB: the spec's minimum, for herd privacy


def list_url(provider: Provider, purpose: str) -> str:
    base = str(settings.MICROCRED_BASE_URL).rstrip("/")
    return f"{base}/status/{provider.slug}/{purpose}"


def state_of(row: StatusList) -> StatusListState:
    """The engine's view of a stored list (bits and allocations)."""
    return StatusListState(
        url=row.url,
        purpose=row.purpose,
        status_list=Bits(bytes(row.bits)),
        allocated=Bits(bytes(row.allocated)),
        issuer=row.provider.did,
    )


def _locked(provider: Provider, purpose: str) -> StatusList:
    """The provider's list of ``purpose``, created on first use, locked for this transaction."""
    StatusList.objects.get_or_create(
        provider=provider,
        purpose=purpose,
        defaults={
            "url": list_url(provider, purpose),
            "bits": bytes(LIST_BYTES),
            "allocated": bytes(LIST_BYTES),
        },
    )
    row = StatusList.objects.select_for_update().get(provider=provider, purpose=purpose)
    row.provider = provider
    return row


@dataclass(frozen=True)
class Allocation:
    """An index handed out, with its ``credentialStatus`` entry."""

    index: int
    entry: dict[str, Any]


def allocate(provider: Provider, purpose: str, count: int = 1) -> list[Allocation]:
    """``count`` random indexes of the provider's ``purpose`` list that were never handed out."""
    with transaction.atomic():
        row = _locked(provider, purpose)
        state = state_of(row)
        indexes = [state.allocate() for _ in range(count)]
        row.allocated = bytes(state.allocated.bits)
        row.save(update_fields=["allocated", "updated_at"])
    return [Allocation(index, state.entry(index)) for index in indexes]


def set_bit(provider: Provider, purpose: str, index: int, value: int) -> None:
    """Set (1) or clear (0) an allocated index; the signed list is re-signed on next request.

    Call inside the caller's transaction so the bit and the credential's state change together.
    """
    row = _locked(provider, purpose)
    state = state_of(row)
    if value:
        (state.revoke if purpose == StatusList.Purpose.REVOCATION else state.suspend)(index)
    else:
        state.unsuspend(index)
    row.bits = bytes(state.status_list.bits)
    row.signed = None
    row.save(update_fields=["bits", "signed", "updated_at"])


def signed_list(row: StatusList) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` for the row's bits (cached in the row)."""
    if row.signed is not None:
        return dict(row.signed)
    provider = row.provider
    unsigned = state_of(row).credential(issuer=provider.did, valid_from=row.updated_at)
    document = sign_credential(unsigned, signing_key(provider), suite="eddsa-rdfc-2022")
    # Only cache if the bits did not change meanwhile (the update matches on updated_at).
    StatusList.objects.filter(pk=row.pk, updated_at=row.updated_at, signed__isnull=True).update(
        signed=document
    )
    return document
