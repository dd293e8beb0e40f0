"""The issuer trust registry: issuers the operator has vetted, with the DIDs and domains
that identify them. Plain data only; rules live in ``services.py`` and ``identifiers.py``,
reads in ``selectors.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from microcred.verification import identifiers


def validate_did(value: str) -> None:
    message = identifiers.did_error(value)
    if message:
        raise ValidationError(message, code="invalid_did")


def validate_domain(value: str) -> None:
    message = identifiers.domain_error(value)
    if message:
        raise ValidationError(message, code="invalid_domain")


class TrustedIssuer(models.Model):
    """An issuer the operator vouches for, and how that trust was established."""

    class VettingMethod(models.TextChoices):
        ACCREDITATION = "accreditation", "Accreditation body"
        GOVERNMENT = "government", "Government register"
        CONTRACT = "contract", "Contract with the operator"
        MANUAL = "manual", "Manual review"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    vetting_method = models.CharField(
        "how it was vetted", max_length=16, choices=VettingMethod.choices
    )
    vetted_by = models.CharField(
        max_length=200, blank=True, help_text="Who vouches, e.g. the accrediting body or register"
    )
    vetted_on = models.DateField(null=True, blank=True)
    vetting_notes = models.TextField(
        blank=True, help_text="Evidence checked: register entry, contract number, reviewer…"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name if self.state == self.State.ACTIVE else f"{self.name} (suspended)"


class TrustedIssuerDid(models.Model):
    """One DID the issuer signs with; a DID belongs to at most one registry entry."""

    issuer = models.ForeignKey(TrustedIssuer, on_delete=models.CASCADE, related_name="dids")
    did = models.CharField(
        "DID",
        max_length=identifiers.MAX_DID,
        unique=True,
        validators=[validate_did],
        help_text="e.g. did:web:example.edu or did:key:z6Mk… (no #key part)",
    )

    class Meta:
        ordering = ("id",)
        verbose_name = "DID"
        verbose_name_plural = "DIDs"

    def __str__(self) -> str:
        return self.did


class TrustedIssuerDomain(models.Model):
    """A host name whose did:web DIDs and https issuer ids belong to the issuer."""

    issuer = models.ForeignKey(TrustedIssuer, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        max_length=identifiers.MAX_DOMAIN,
        unique=True,
        validators=[validate_domain],
        help_text="Host name only, e.g. example.edu (subdomains are not included)",
    )

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.domain
