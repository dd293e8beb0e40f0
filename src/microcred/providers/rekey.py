"""Rotating the key-encryption key (KEK): re-seal every stored secret under a new KEK.

Decisions (docs/operations.md, "Rotating the key-encryption key"):

- Every sealed secret of the platform is listed in ``sealed_kinds()``: provider signing keys,
  the platform key (CLR exports) and learners' holder keys, each with the associated data it
  is bound to. A test checks that no other binary "sealed"/"encrypted" column exists.
- All or nothing: every row is re-sealed in one transaction; a row that neither KEK opens
  stops the rotation before anything is written, naming the row.
- Idempotent: each row is tried with the new KEK first; rows it opens (a second run, or
  secrets made while processes already sealed with the new KEK) are counted and left alone.
- The signing keys themselves do not change, so nothing issued or published is affected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from microcred.providers import keystore
from microcred.providers.models import ProviderKey
from microcred.providers.services import User, record_event

MAX_LISTED_FAILURES = 20


@dataclass(frozen=True)
class SealedKind:
    """One table holding sealed secrets, and how a row's associated data is made."""

    label: str
    model: type[models.Model]
    column: str
    binding: Callable[[Any], bytes]
    related: tuple[str, ...] = ()


@dataclass
class RekeyResult:
    resealed: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)

    @property
    def total_resealed(self) -> int:
        return sum(self.resealed.values())


def sealed_kinds() -> tuple[SealedKind, ...]:
    """Every kind of sealed secret. Imported here, not at module level: the wallet and
    portability apps build on this one, and only the KEK rotation needs to know them all."""
    from microcred.portability import identity as platform_identity
    from microcred.portability.models import PlatformKey
    from microcred.wallet import holder
    from microcred.wallet.models import HolderKey

    return (
        SealedKind(
            "provider keys",
            ProviderKey,
            "encrypted_secret",
            lambda row: keystore.key_binding(row.provider.did, row.key_id),
            related=("provider",),
        ),
        SealedKind(
            "platform keys",
            PlatformKey,
            "sealed_secret",
            lambda row: platform_identity._binding(row.did, row.key_id),
        ),
        SealedKind(
            "holder keys",
            HolderKey,
            "sealed_secret",
            lambda row: holder._binding(row.owner_id, row.did),
        ),
    )


def _reseal(blob: bytes, binding: bytes, *, old: bytes, new: bytes) -> bytes | None:
    """The blob sealed under ``new``, or None when it already is; KeyStoreError if neither
    KEK opens it."""
    try:
        keystore.decrypt_seed(blob, kek=new, associated_data=binding)
        return None
    except keystore.KeyStoreError:
        seed = keystore.decrypt_seed(blob, kek=old, associated_data=binding)
    return keystore.encrypt_seed(seed, kek=new, associated_data=binding)


def _rekey_kind(kind: SealedKind, old: bytes, new: bytes, failures: list[str]) -> tuple[int, int]:
    resealed = already = 0
    rows = kind.model._default_manager.select_for_update().order_by("pk")
    for row in rows.select_related(*kind.related).iterator(chunk_size=500):
        try:
            sealed = _reseal(bytes(getattr(row, kind.column)), kind.binding(row), old=old, new=new)
        except keystore.KeyStoreError:
            failures.append(f"{kind.label}: {row} (id {row.pk})")
            continue
        if sealed is None:
            already += 1
        else:
            kind.model._default_manager.filter(pk=row.pk).update(**{kind.column: sealed})
            resealed += 1
    return resealed, already


def rotate_kek(*, old: bytes, new: bytes, actor: User | None = None) -> RekeyResult:
    """Re-seal every sealed secret from ``old`` to ``new`` in one transaction (see module doc).

    Raises ``KeyStoreError`` (and writes nothing) when the KEKs are unusable or the same, or
    when a row opens with neither; the message lists such rows, never a key.
    """
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, bytes) or len(value) != keystore.KEK_BYTES:
            raise keystore.KeyStoreError(f"the {name} KEK must be {keystore.KEK_BYTES} bytes")
    if old == new:
        raise keystore.KeyStoreError("the old and the new KEK are the same: nothing to rotate")
    result, failures = RekeyResult(), list[str]()
    with transaction.atomic():
        for kind in sealed_kinds():
            counts = _rekey_kind(kind, old, new, failures)
            result.resealed[kind.label], result.already[kind.label] = counts
        if failures:
            listed = "; ".join(failures[:MAX_LISTED_FAILURES])
            more = len(failures) - MAX_LISTED_FAILURES
            raise keystore.KeyStoreError(
                f"{len(failures)} sealed secret(s) open with neither the old nor the new KEK "
                f"(is MICROCRED_OLD_KEY_ENCRYPTION_KEY the previous KEK?); nothing was changed: "
                f"{listed}" + (f" and {more} more" if more > 0 else "")
            )
        if result.total_resealed:
            details = {"resealed": result.resealed, "already": result.already}
            record_event(action="kek.rotated", actor=actor, subject="KEK", details=details)
    return result
