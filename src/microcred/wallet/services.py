"""Writes of the wallet: importing (file, URL, paste), re-checking, removing, the holder key
and signed presentations.

Every import is verified before anything is stored. A credential that fails (tampered,
revoked, expired, unreadable status) is refused unless the learner chose to keep it with
its failing report; a refusal stores nothing. The same credential twice (by id, else by its
canonical digest) is recognised and not stored again. Results are returned, not raised,
because one upload (a zip) may add some credentials and refuse others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from microcred.core.errors import FetchError
from microcred.core.verify.report import VerificationReport
from microcred.pathways import hooks as pathway_hooks
from microcred.talent import hooks as talent_hooks
from microcred.wallet import reading, selectors, unpacking, verifying
from microcred.wallet.models import WalletCredential

RECHECK_BATCH = 20  # re-checks per page view; the rest wait for the next view


@dataclass(frozen=True)
class ImportResult:
    """What happened to one credential of an import: ``state`` is "added", "duplicate" or
    "refused"; ``message`` says it in plain words."""

    state: str
    name: str
    message: str
    item: WalletCredential | None = None
    report: dict[str, Any] | None = None


def _refused(name: str, message: str, report: dict[str, Any] | None = None) -> ImportResult:
    return ImportResult("refused", name, message, report=report)


def import_bytes(
    owner: Any, data: bytes, *, source: str, name: str, keep_failing: bool = False
) -> list[ImportResult]:
    """Import what a learner uploaded, pasted or had fetched (``source``: upload/paste/url)."""
    if len(data) > verifying.MAX_IMPORT_BYTES:
        limit = verifying.MAX_IMPORT_BYTES // (1024 * 1024)
        return [_refused(name, f"Not added: the file is larger than {limit} MiB.")]
    results = []
    for found in unpacking.unpack(data, name=name):
        if isinstance(found, unpacking.Unusable):
            results.append(_refused(found.name, f"Not added: {found.message}"))
        else:
            results.append(_store(owner, found, source=source, keep_failing=keep_failing))
    return results


def import_url(owner: Any, url: str, *, keep_failing: bool = False) -> list[ImportResult]:
    """Fetch ``url`` through the SSRF-safe fetcher, then import what it returned."""
    url = url.strip()
    try:
        data = verifying.fetch_url(url)
    except FetchError as exc:
        return [_refused(url, f"Not added: the URL could not be fetched: {exc}")]
    return import_bytes(owner, data, source="url", name=url[:500], keep_failing=keep_failing)


def _store(
    owner: Any, candidate: unpacking.Candidate, *, source: str, keep_failing: bool
) -> ImportResult:
    name = candidate.name
    report = candidate.report.to_json()
    key = reading.dedupe_key(candidate.document)
    duplicate = _duplicate(owner, key, candidate.document, name)
    if duplicate is not None:
        return duplicate
    verdict = reading.verdict_of(report)
    if verdict != "valid" and not keep_failing:
        return _refused(name, "Not added: " + selectors.plain_verdict(verdict, report), report)
    try:
        with transaction.atomic():
            item = WalletCredential.objects.create(
                owner=owner,
                source=source,
                source_name=name[:500],
                original=candidate.original,
                format=candidate.format,
                document=candidate.document,
                dedupe_key=key,
                credential_id=reading.credential_id(candidate.document),
                report=report,
                verdict=verdict,
                verified_at=timezone.now(),
            )
            pathway_hooks.wallet_changed(item)
            talent_hooks.wallet_changed(item)
    except IntegrityError:  # the same credential, imported at the same moment
        return _duplicate(owner, key, candidate.document, name) or _refused(name, "Not added.")
    label = "Added" if verdict == "valid" else "Added with its failing report"
    return ImportResult(
        "added", name, f"{label}: {selectors.title_of(item.document, report)}.", item, report
    )


def _duplicate(owner: Any, key: str, document: dict[str, Any], name: str) -> ImportResult | None:
    existing = WalletCredential.objects.filter(owner=owner, dedupe_key=key).first()
    if existing is not None:
        message = (
            f"Already in your wallet: {selectors.title_of(existing.document, existing.report)}."
        )
        return ImportResult("duplicate", name, message, existing)
    identifier = reading.credential_id(document)
    if identifier and selectors.claimed_ids(owner, [identifier]):
        message = (
            f"Already in your wallet (claimed on this platform): {selectors.title_of(document)}."
        )
        return ImportResult("duplicate", name, message)
    return None


# ------------------------------------------------------------------------------- re-checks


def recheck_seconds() -> int:
    return int(getattr(settings, "MICROCRED_WALLET_RECHECK_SECONDS", 3600))


def recheck(item: WalletCredential) -> WalletCredential:
    """Verify ``item`` again (status, dates, signature) and store the new report."""
    data = bytes(item.original) or json.dumps(item.document).encode()
    reports = verifying.verify(data, name=item.source_name or "credential", document=item.document)
    report = reports[0].to_json() if len(reports) == 1 else _single(item, reports)
    item.report, item.verdict = report, reading.verdict_of(report)
    item.verified_at = timezone.now()
    item.save(update_fields=["report", "verdict", "verified_at"])
    pathway_hooks.wallet_changed(item)
    talent_hooks.wallet_changed(item)
    return item


def _single(item: WalletCredential, reports: list[VerificationReport]) -> dict[str, Any]:
    """The report on ``item`` among several (an entry of a zip was stored as its JSON)."""
    for report in reports:
        if reading.dedupe_key(report.credential or {}) == item.dedupe_key:
            return report.to_json()
    return {"input": item.source_name, "verified": False, "checks": []}


def refresh_stale(owner: Any) -> int:
    """Re-check the owner's credentials whose report is older than the configured time
    (``MICROCRED_WALLET_RECHECK_SECONDS``), oldest first, a bounded number per call."""
    cutoff = timezone.now() - timedelta(seconds=recheck_seconds())
    stale = WalletCredential.objects.filter(
        owner=owner, issued__isnull=True, verified_at__lte=cutoff
    )
    items = list(stale.order_by("verified_at")[:RECHECK_BATCH])
    for item in items:
        recheck(item)
    return len(items)


def refresh_if_stale(item: WalletCredential) -> WalletCredential:
    cutoff = timezone.now() - timedelta(seconds=recheck_seconds())
    if item.issued_id is None and item.verified_at <= cutoff:
        return recheck(item)
    return item


def remove(owner: Any, pk: int) -> str:
    """Remove an imported credential from the owner's wallet; returns its title."""
    with transaction.atomic():
        item = WalletCredential.objects.select_for_update().filter(owner=owner, pk=pk).first()
        if item is None or item.issued_id is not None:
            raise Http404("No such credential in your wallet.")
        title = selectors.title_of(item.document, item.report)
        item.delete()
    return title
