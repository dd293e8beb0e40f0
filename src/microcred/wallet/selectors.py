"""Reads of the wallet: one list of everything a learner holds (imported credentials and
credentials claimed on this platform, see the note in ``models.py``), one entry, its
plain-language verdict, and whom it is issued to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404
from django.urls import reverse

from microcred.core.model.facts import CredentialFacts, facts_of
from microcred.core.verify.report import VerificationReport
from microcred.credentials import selectors as credential_selectors
from microcred.credentials.models import IssuedCredential
from microcred.delivery.selectors import credentials_of_user, public_url, verified_addresses
from microcred.verification.reports import Trust, present
from microcred.wallet import reading
from microcred.wallet.models import HolderKey, WalletCredential

VERDICT_LABELS = dict(WalletCredential.Verdict.choices)
_STANDING_VERDICT = {"active": "valid", "revoked": "revoked", "suspended": "suspended"}


def title_of(document: dict[str, Any], report: dict[str, Any] | None = None) -> str:
    """The achievement's name; for an Open Badges 2.0 assertion (its BadgeClass is elsewhere)
    the name the verifier found, from the report's overview."""
    overview = (report or {}).get("overview") or {}
    return facts_of(document).name or str(overview.get("achievement") or "") or "a credential"


def plain_verdict(verdict: str, report: dict[str, Any]) -> str:
    """The verdict as a sentence, naming the first failing check."""
    failed = [c for c in report.get("checks", []) if isinstance(c, dict) and not c.get("ok")]
    reason = str(failed[0].get("message", "")) if failed else ""
    lead = {
        "valid": "It verifies: every check passed.",
        "revoked": "Revoked by its issuer.",
        "suspended": "Suspended by its issuer.",
        "expired": "Expired.",
        "unchecked": "Its status could not be checked, so it is not shown as valid.",
        "invalid": "Not valid.",
    }[verdict]
    return f"{lead} {reason}".strip() if verdict != "valid" else lead


@dataclass(frozen=True)
class Recipient:
    """Whom the credential is issued to, as far as this learner is concerned."""

    kind: str  # "yours", "other" or "none"
    address: str
    message: str


def recipient_of(document: dict[str, Any], addresses: set[str]) -> Recipient:
    match = reading.recipient_match(document, addresses)
    if match.kind == "yours":
        message = f"Issued to one of your verified addresses: {match.address}"
    elif match.kind == "other":
        message = (
            "Issued to someone else: the email address in it is none of your verified addresses."
        )
    else:
        message = "It names its recipient by no email address, so it is not matched to yours."
    return Recipient(match.kind, match.address, message)


@dataclass(frozen=True)
class WalletEntry:
    """One line of the wallet, whichever way the credential got there."""

    kind: str  # "imported" or "claimed"
    key: str  # the checkbox value: "w<pk>" or "c<uuid>"
    url: str
    facts: CredentialFacts
    document: dict[str, Any]
    verdict: str
    added_at: datetime | None
    source: str
    format: str
    recipient: Recipient
    report: dict[str, Any] | None = None
    checked_at: datetime | None = None
    item: WalletCredential | None = None
    issued: IssuedCredential | None = None

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def verdict_sentence(self) -> str:
        return plain_verdict(self.verdict, self.report or {})

    @property
    def trust(self) -> Trust | None:
        """The issuer's standing in the operator's trust registry, as every report shows it
        (consulted only when the signature holds; see verification.reports)."""
        if not self.report:
            return None
        report = VerificationReport.from_json(self.report, credential=self.document)
        return present(report).trust

    @property
    def _overview(self) -> dict[str, Any]:
        """What the verifier read (an OB 2.0 assertion names its badge and issuer by URL)."""
        overview = (self.report or {}).get("overview")
        return overview if isinstance(overview, dict) else {}

    @property
    def title(self) -> str:
        return self.facts.name or str(self._overview.get("achievement") or "")

    @property
    def issuer_name(self) -> str:
        return self.facts.issuer_name or str(self._overview.get("issuer") or "")

    @property
    def issued_on(self) -> datetime | None:
        """When it was issued; VC 1.1 credentials say so in ``issuanceDate``."""
        if self.facts.issued is not None:
            return self.facts.issued
        for raw in (self.document.get("issuanceDate"), self._overview.get("issued")):
            try:
                if isinstance(raw, str):
                    return datetime.fromisoformat(raw)
            except ValueError:
                continue
        return None

    @property
    def issued_url(self) -> str:
        return public_url(self.issued) if self.issued is not None else ""


def _imported(item: WalletCredential, addresses: set[str]) -> WalletEntry:
    return WalletEntry(
        kind="imported",
        key=f"w{item.pk}",
        url=reverse("wallet:detail", args=[item.pk]),
        facts=facts_of(item.document),
        document=item.document,
        verdict=item.verdict,
        added_at=item.added_at,
        source=item.get_source_display(),
        format=item.get_format_display(),
        recipient=recipient_of(item.document, addresses),
        report=item.report,
        checked_at=item.verified_at,
        item=item,
    )


def _claimed(row: IssuedCredential, addresses: set[str], *, full: bool) -> WalletEntry:
    """A claimed credential; its standing comes from the platform's own rows (always
    current). ``full`` runs the verifier too (detail page), against the live status list."""
    facts = facts_of(row.document)
    standing = credential_selectors.standing(row, facts)
    report = credential_selectors.credential_report(row).to_json() if full else None
    verdict = (
        reading.verdict_of(report) if report else _STANDING_VERDICT.get(standing.kind, "expired")
    )
    uid = row.credential_id.removeprefix("urn:uuid:")
    invitation = getattr(row, "claim_invitation", None)
    return WalletEntry(
        kind="claimed",
        key=f"c{uid}",
        url=reverse("wallet:claimed", args=[uid]),
        facts=facts,
        document=row.document,
        verdict=verdict,
        added_at=invitation.claimed_at if invitation else None,
        source=str(WalletCredential.Source.CLAIMED.label),
        format=str(WalletCredential.Format.OB3_JSON.label),
        recipient=recipient_of(row.document, addresses),
        report=report,
        checked_at=None,
        issued=row,
    )


def wallet_of(owner: Any) -> list[WalletEntry]:
    """Everything in ``owner``'s wallet, most recently added first."""
    addresses = verified_addresses(owner)
    entries = [_imported(item, addresses) for item in imported_of(owner)]
    entries += [_claimed(row, addresses, full=False) for row in credentials_of_user(owner)]
    return sorted(entries, key=lambda entry: entry.added_at or datetime.min, reverse=True)


def imported_of(owner: Any) -> Iterable[WalletCredential]:
    return WalletCredential.objects.filter(owner=owner, issued__isnull=True)


def item_of(owner: Any, pk: int) -> WalletCredential:
    """An imported credential of ``owner`` (404 for anybody else's, as for none)."""
    item = WalletCredential.objects.filter(owner=owner, pk=pk, issued__isnull=True).first()
    if item is None:
        raise Http404("No such credential in your wallet.")
    return item


def entry_of(owner: Any, item: WalletCredential) -> WalletEntry:
    return _imported(item, verified_addresses(owner))


def claimed_entry(owner: Any, value: uuid.UUID | str) -> WalletEntry:
    row = credentials_of_user(owner).filter(credential_id=f"urn:uuid:{value}").first()
    if row is None:
        raise Http404("No such credential in your wallet.")
    return _claimed(row, verified_addresses(owner), full=True)


def claimed_ids(owner: Any, identifiers: list[str]) -> set[str]:
    rows = credentials_of_user(owner).filter(credential_id__in=identifiers)
    return set(rows.values_list("credential_id", flat=True))


def holder_did(owner: Any) -> str | None:
    """The learner's holder DID, if a key was made already."""
    return HolderKey.objects.filter(owner=owner).values_list("did", flat=True).first()
