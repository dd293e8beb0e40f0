"""Reads of the issuer trust registry: is the issuer of a credential known, and how?

Matching, in this order (the first hit wins):

1. the issuer id (a DID URL's ``#fragment`` dropped) equals a registered DID exactly;
2. the host that controls the issuer id (a did:web DID's host, including the path form
   ``did:web:example.edu:issuers:x``, or an https URL's host) equals a registered domain;
3. ``domain``, if the caller gives one, equals a registered domain.

Domains match exactly (``example.edu`` does not cover ``www.example.edu``). ``domain`` must
be a host the caller has *established*, e.g. where the issuer's key was fetched from;
never pass the ``url`` an issuer profile claims for itself: anyone can write any url.

Providers hosted on this platform are not trusted implicitly: hosting says nothing about
vetting, so the operator lists them here like anyone else (the demo seed does).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from microcred.verification import identifiers
from microcred.verification.models import TrustedIssuer, TrustedIssuerDid, TrustedIssuerDomain


@dataclass(frozen=True)
class TrustMatch:
    """A registry entry that names an issuer, and which of its identifiers matched."""

    entry_id: int
    name: str
    website: str
    vetting_method: str  # a TrustedIssuer.VettingMethod value
    vetting_method_label: str  # e.g. "Accreditation body"
    vetted_by: str
    vetted_on: datetime.date | None
    state: str  # a TrustedIssuer.State value
    matched_by: str  # "did" or "domain"
    matched: str  # the DID or domain that matched

    @property
    def active(self) -> bool:
        return self.state == TrustedIssuer.State.ACTIVE

    def summary(self) -> str:
        """One plain-language line for a verification report."""
        if not self.active:
            return f"Registry entry suspended: {self.name} is not currently a known issuer."
        vetted = f"vetted by {self.vetted_by}" if self.vetted_by else "vetted"
        how = self.vetting_method_label.lower()
        when = f", {self.vetted_on.isoformat()}" if self.vetted_on else ""
        return f"Known issuer: {self.name}, {vetted} ({how}{when})."


def _match(issuer: TrustedIssuer, matched_by: str, matched: str) -> TrustMatch:
    return TrustMatch(
        entry_id=issuer.pk,
        name=issuer.name,
        website=issuer.website,
        vetting_method=issuer.vetting_method,
        vetting_method_label=issuer.get_vetting_method_display(),
        vetted_by=issuer.vetted_by,
        vetted_on=issuer.vetted_on,
        state=issuer.state,
        matched_by=matched_by,
        matched=matched,
    )


def _by_domain(domain: str | None) -> TrustMatch | None:
    if not domain:
        return None
    clean = identifiers.normalise_domain(domain)
    row = TrustedIssuerDomain.objects.select_related("issuer").filter(domain=clean).first()
    return _match(row.issuer, "domain", clean) if row else None


def lookup(issuer_id: str, *, domain: str | None = None) -> TrustMatch | None:
    """The registry entry for ``issuer_id`` (suspended ones too), or None: unknown issuer."""
    did = identifiers.bare_did(issuer_id or "")
    if did.startswith("did:"):
        row = TrustedIssuerDid.objects.select_related("issuer").filter(did=did).first()
        if row is not None:
            return _match(row.issuer, "did", did)
    return _by_domain(identifiers.controlling_domain(issuer_id or "")) or _by_domain(domain)


def entry_listing(
    *, did: str | None = None, domain: str | None = None, other_than: int | None = None
) -> TrustedIssuer | None:
    """The entry that already lists this DID or domain, leaving out entry ``other_than``."""
    model, column, value = (
        (TrustedIssuerDid, "did", did)
        if did is not None
        else (TrustedIssuerDomain, "domain", domain)
    )
    row = model.objects.filter(**{column: value}).exclude(issuer_id=other_than).first()
    return row.issuer if row is not None else None


def trusted_issuers() -> QuerySet[TrustedIssuer]:
    """Every entry with its identifiers, for listings."""
    return TrustedIssuer.objects.prefetch_related("dids", "domains")
