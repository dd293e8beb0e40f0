"""Writes of the portability app: the signed CLR export. Backups (``backups.py``) and
account deletion (``deletion.py``) have modules of their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.core.crypto.suites.base import sign_credential
from microcred.core.errors import InputError
from microcred.core.model.clr import ClrIssuer, build_clr
from microcred.delivery.selectors import verified_addresses
from microcred.portability import identity, selectors


class ExportError(Exception):
    """Nothing could be exported; the message says why in plain words."""


@dataclass(frozen=True)
class ClrExport:
    document: dict[str, Any]
    included: int
    left_out: list[str]  # titles of chosen credentials a CLR cannot carry

    @property
    def filename(self) -> str:
        return f"learner-record-{datetime.now(UTC):%Y-%m-%d}.clr.json"


def export_clr(owner: Any, keys: list[str] | None = None) -> ClrExport:
    """A ClrCredential of ``owner``'s chosen wallet entries (``keys`` as on the wallet page;
    None: all), signed by the platform (eddsa-rdfc-2022). ``partial`` is set when the CLR
    does not hold everything in the wallet."""
    choices = selectors.export_choices(owner)
    by_key = {choice.key: choice for choice in choices}
    if keys is not None:
        unknown = [key for key in keys if key not in by_key]
        if unknown or not keys:
            raise ExportError("Choose at least one credential of your wallet to export.")
    chosen = [by_key[key] for key in dict.fromkeys(keys)] if keys is not None else choices
    included = [choice for choice in chosen if choice.embeddable]
    left_out = [f"{c.entry.facts.name or 'a credential'}: {c.reason}" for c in chosen if c.reason]
    if not included:
        raise ExportError(
            "None of the chosen credentials can go into a CLR: " + "; ".join(left_out) + "."
        )
    key = identity.signing_key()
    unsigned = build_clr(
        [choice.entry.document for choice in included],
        issuer=ClrIssuer(id=key.controller, name=identity.PLATFORM_NAME, url=identity.base_url()),
        learner_emails=sorted(verified_addresses(owner)),
        partial=len(included) < len(choices),
    )
    try:
        signed = sign_credential(unsigned, key)
    except InputError as exc:  # an embedded credential the canonicaliser refuses
        raise ExportError(f"The record could not be signed: {exc}") from None
    return ClrExport(signed, len(included), left_out)
