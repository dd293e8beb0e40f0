"""Status list service: race-free index allocation, bit changes and the signed list.

The bits live in ``StatusList`` rows; the pure logic is the engine's ``StatusListState``,
built from a row's bytes and written back. A provider has lists 1, 2, ... per purpose (each
``STATUS_LIST_SIZE`` entries); allocation takes from the newest and opens the next when it
is full. Allocation locks the provider row and bit changes lock the list row, each inside
a transaction, so concurrent issuers never get the same index; an index, once handed out,
is never handed out again (even if the credential it was meant for was never stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from microcred.core.crypto.statuslist import MIN_ENTRIES, StatusListState
from microcred.core.crypto.statuslist import StatusList as Bits
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.errors import StatusListError
from microcred.credentials.models import StatusList
from microcred.platform.faults import pause_point
from microcred.providers.models import Provider
from microcred.providers.services import signing_key

# Entries per list: the spec's minimum, for herd privacy (tests lower it to fill lists fast).
STATUS_LIST_SIZE = MIN_ENTRIES
# Only what allocation needs: not the status bits nor the (large) signed list.
_ALLOCATION_FIELDS = ("id", "provider_id", "purpose", "number", "url", "allocated")


def list_url(provider: Provider, purpose: str, number: int = 1) -> str:
    """List 1 keeps the unnumbered URL that credentials issued before rollover point at."""
    base = str(settings.MICROCRED_BASE_URL).rstrip("/")
    url = f"{base}/status/{provider.slug}/{purpose}"
    return url if number == 1 else f"{url}/{number}"


def state_of(row: StatusList) -> StatusListState:
    """The engine's view of a stored list (bits and allocations)."""
    return StatusListState(
        url=row.url,
        purpose=row.purpose,
        status_list=Bits(bytes(row.bits)),
        allocated=Bits(bytes(row.allocated)),
        issuer=row.provider.did,
    )


@dataclass(frozen=True)
class Allocation:
    """An index handed out, with its ``credentialStatus`` entry and the list it is on."""

    index: int
    entry: dict[str, Any]
    list_id: int = 0  # StatusList.pk
    number: int = 1  # StatusList.number


def _new_list(provider: Provider, purpose: str, number: int) -> StatusList:
    size_bytes = -(-STATUS_LIST_SIZE // 8)
    return StatusList.objects.create(
        provider=provider,
        purpose=purpose,
        number=number,
        url=list_url(provider, purpose, number),
        bits=bytes(size_bytes),
        allocated=bytes(size_bytes),
    )


def _take(row: StatusList, count: int) -> list[Allocation]:
    """Up to ``count`` fresh indexes of ``row`` (fewer when it fills up); writes ``allocated``."""
    taken = Bits(bytes(row.allocated))
    # The status bits are not read: allocation only needs a list of the same size.
    state = StatusListState(row.url, row.purpose, Bits(bytes(len(taken.bits))), taken)
    free = taken.size - int.from_bytes(taken.bits, "big").bit_count()
    indexes = [state.allocate() for _ in range(min(count, free))]
    if indexes:
        # A plain UPDATE of one column: ``updated_at`` dates the bits (the signed list's
        # validFrom), which allocation does not change.
        StatusList.objects.filter(pk=row.pk).update(allocated=bytes(taken.bits))
    return [Allocation(i, state.entry(i), row.pk, row.number) for i in indexes]


def allocate(provider: Provider, purpose: str, count: int = 1) -> list[Allocation]:
    """``count`` random indexes never handed out, from the newest list of ``purpose``; when
    it is full (or fills up mid-batch) the next list is opened and the rest taken from it.

    The provider row is locked for the transaction, so concurrent issuers of one provider
    neither share an index nor open the same next list. The lock is PostgreSQL's FOR NO KEY
    UPDATE: a plain FOR UPDATE also blocks the foreign-key checks of rows that reference the
    provider, so a revocation (list row locked, then its audit event's check at commit)
    deadlocked with an issuer waiting for that list row.
    """
    with transaction.atomic():
        locked = Provider.objects.select_for_update(no_key=True).filter(pk=provider.pk)
        locked.values_list("pk").get()
        newest = (
            StatusList.objects.filter(provider=provider, purpose=purpose)
            .only(*_ALLOCATION_FIELDS)
            .order_by("-number")
            .first()
        )
        row = newest or _new_list(provider, purpose, 1)
        allocations: list[Allocation] = []
        while True:
            allocations += _take(row, count - len(allocations))
            if len(allocations) == count:
                return allocations
            row = _new_list(provider, purpose, row.number + 1)


def list_id_of(
    provider: Provider, purpose: str, document: dict[str, Any], known: int | None
) -> int:
    """The pk of the list a credential's index is on: ``known`` (the credential's
    ``status_list``) if set, else the list its ``statusListCredential`` names, else list 1."""
    if known is not None:
        return known
    entry = document.get("credentialStatus")
    url = entry.get("statusListCredential") if isinstance(entry, dict) else None
    lists = StatusList.objects.filter(provider=provider, purpose=purpose)
    found = lists.filter(url=url).values_list("pk", flat=True).first()
    if found is None:
        found = lists.filter(number=1).values_list("pk", flat=True).first()
    if found is None:
        raise StatusListError(f"the provider has no {purpose} list", where="status_list")
    return int(found)


def set_bit(provider: Provider, purpose: str, index: int, value: int, *, list_id: int) -> None:
    """Set (1) or clear (0) an allocated index of list ``list_id``; the signed list is
    re-signed on next request.

    Call inside the caller's transaction so the bit and the credential's state change together.
    """
    row = StatusList.objects.select_for_update().get(pk=list_id, provider=provider, purpose=purpose)
    row.provider = provider
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
    pause_point("statuslist.signed")  # test-only: a kill here leaves the cache empty
    # Only cache if the bits did not change meanwhile (the update matches on updated_at).
    StatusList.objects.filter(pk=row.pk, updated_at=row.updated_at, signed__isnull=True).update(
        signed=document
    )
    return document
