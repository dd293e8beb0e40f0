"""The credentials app's reads. Public lookups raise ``Http404`` for what is not public."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from microcred.core.crypto.did import did_web_url
from microcred.core.errors import InputError
from microcred.core.model import facts as readable
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials import achievements, statistics, statuslists
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition, StatusList
from microcred.providers import selectors as provider_selectors
from microcred.providers.models import Provider

Definition = MicroCredentialDefinition
PUBLIC_STATUSES = (Definition.Status.PUBLISHED, Definition.Status.ARCHIVED)


def definitions_of(provider: Provider) -> QuerySet[Definition]:
    """Every version of every definition of ``provider``, newest version first per slug."""
    return Definition.objects.filter(provider=provider).order_by("slug", "-version")


def latest_definition(provider: Provider, slug: str) -> Definition:
    found = definitions_of(provider).filter(slug=slug).first()
    if found is None:
        raise Http404("no such micro-credential")
    return found


def public_definition(provider_slug: str, slug: str, version: int) -> Definition:
    """A published or archived definition version (drafts are not public)."""
    try:
        return Definition.objects.select_related("provider").get(
            provider__slug=provider_slug, slug=slug, version=version, status__in=PUBLIC_STATUSES
        )
    except Definition.DoesNotExist:
        raise Http404("no such achievement") from None


def achievement_document(provider_slug: str, slug: str, version: int) -> dict[str, Any]:
    return achievements.achievement_json(public_definition(provider_slug, slug, version))


def credentials_of(provider: Provider) -> QuerySet[IssuedCredential]:
    return IssuedCredential.objects.filter(provider=provider).select_related("definition")


def credential_by_uuid(value: uuid.UUID | str) -> IssuedCredential:
    try:
        return IssuedCredential.objects.select_related("provider", "definition").get(
            credential_id=f"urn:uuid:{uuid.UUID(str(value))}"
        )
    except (ValueError, IssuedCredential.DoesNotExist):
        raise Http404("no such credential") from None


def status_list(provider_slug: str, purpose: str, number: int = 1) -> StatusList:
    """List ``number`` of the provider's lists of ``purpose`` (404 when there is none)."""
    try:
        return StatusList.objects.select_related("provider").get(
            provider__slug=provider_slug, purpose=purpose, number=number
        )
    except StatusList.DoesNotExist:
        raise Http404("no such status list") from None


# ---------------------------------------------------------------- the public page


def platform_fetcher(document: dict[str, Any]) -> StaticFetcher:
    """A fetcher answering the platform's own status lists and did:web documents from the
    database, exactly as their views serve them (no HTTP request to ourselves)."""
    fetcher = StaticFetcher()
    entries = document.get("credentialStatus") or []
    for entry in entries if isinstance(entries, list) else [entries]:
        url = entry.get("statusListCredential") if isinstance(entry, dict) else None
        row = StatusList.objects.select_related("provider").filter(url=url).first()
        if row is not None:
            # Signing on read is the status list's own cache-filling read (see statuslists).
            fetcher.add(row.url, json.dumps(statuslists.signed_list(row)).encode())
    issuer = document.get("issuer")
    did = issuer.get("id") if isinstance(issuer, dict) else issuer
    provider = Provider.objects.filter(did=did, did_method="web").first()
    if provider is not None and isinstance(did, str):
        try:
            url = did_web_url(did)
        except InputError:
            return fetcher
        fetcher.add(url, json.dumps(provider_selectors.did_document(provider)).encode())
    return fetcher


def credential_report(row: IssuedCredential) -> VerificationReport:
    """The verifier's report on a stored credential, against the platform's live status lists."""
    options = VerifyOptions(fetcher=platform_fetcher(row.document))
    return verify_document(row.document, name=row.credential_id, options=options)


@dataclass(frozen=True)
class Standing:
    """Where the credential stands now: ``active``, ``expired``, ``suspended`` or ``revoked``.

    Decision: the revocation reason a provider types is internal (it may name the learner's
    misconduct or a clerical slip) and is never shown; the page says revoked and when.
    """

    kind: str
    headline: str
    since: datetime | None = None

    @property
    def shareable(self) -> bool:
        """Only a valid credential is offered for LinkedIn (the page itself stays public)."""
        return self.kind == "active"


def standing(row: IssuedCredential, facts: readable.CredentialFacts) -> Standing:
    if row.state == IssuedCredential.State.REVOKED:
        return Standing("revoked", "Revoked by the issuer", row.revoked_at)
    if row.state == IssuedCredential.State.SUSPENDED:
        return Standing("suspended", "Suspended by the issuer")
    if facts.valid_until is not None and facts.valid_until <= timezone.now():
        return Standing("expired", "Expired", facts.valid_until)
    return Standing("active", "Valid")


@dataclass(frozen=True)
class PublicCredential:
    row: IssuedCredential
    facts: readable.CredentialFacts
    standing: Standing
    report: VerificationReport


def public_credential(value: uuid.UUID | str) -> PublicCredential:
    """Everything the public page shows about one credential (404 when unknown)."""
    row = credential_by_uuid(value)
    facts = readable.facts_of(row.document)
    return PublicCredential(row, facts, standing(row, facts), credential_report(row))


# ---------------------------------------------------------------- provider statistics

# Statistics have their own module; ``selectors.stats`` stays the name callers use.
ProviderStats = statistics.ProviderStats
stats = statistics.stats
