"""Reads for export: which of a learner's wallet entries a CLR can carry, and why not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.core.model.clr import not_embeddable
from microcred.wallet import selectors as wallet_selectors


@dataclass(frozen=True)
class ExportChoice:
    """One wallet entry on the export page; ``reason`` says why it cannot go into a CLR."""

    entry: wallet_selectors.WalletEntry
    reason: str | None

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def embeddable(self) -> bool:
        return self.reason is None


def export_choices(owner: Any) -> list[ExportChoice]:
    """Every credential in ``owner``'s wallet, in wallet order, with its CLR eligibility."""
    return [
        ExportChoice(entry, not_embeddable(_secured_document(entry)))
        for entry in wallet_selectors.wallet_of(owner)
    ]


def _secured_document(entry: wallet_selectors.WalletEntry) -> Any:
    """The document as its issuer secured it: a VC-JWT's decoded payload has no proof."""
    if entry.item is not None and entry.item.format == "vc-jwt":
        return {**entry.document, "proof": None}
    return entry.document
