"""Definitions (OB Achievements), issued credentials and status lists.

Plain data only: versioning, the EU checks, index allocation and every state change
live in the services (``definitions.py``, ``statuslists.py``, ``issuing.py``); reads live
in ``selectors.py``.
"""

from __future__ import annotations

from django.db import models


class MicroCredentialDefinition(models.Model):
    """One version of a micro-credential (an OB 3.0 Achievement) of one provider."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="definitions"
    )
    slug = models.SlugField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField(max_length=200)
    description = models.TextField()
    criteria_narrative = models.TextField(blank=True)
    learning_outcomes = models.JSONField(default=list, blank=True)
    # [{targetName, targetUrl, targetFramework?, targetType?, targetCode?}] (OB Alignment).
    alignments = models.JSONField(default=list, blank=True)
    # OB ResultDescription objects (camelCase); missing ids are derived from the achievement id.
    result_descriptions = models.JSONField(default=list, blank=True)
    expiry_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Credentials expire this many months after issuing"
    )
    # microcred.core.model.EUElements fields (snake_case), learning outcomes excepted.
    eu_elements = models.JSONField(default=dict, blank=True)
    is_eu = models.BooleanField(
        default=False, help_text="An EU micro-credential: Annex I elements are mandatory"
    )
    achievement_type = models.CharField(max_length=64, default="MicroCredential")
    # The Achievement's image, kept in the database (no media storage; part of backups).
    # Checked by ``images.validate_image``: a PNG or SVG of at most 512 KiB.
    image = models.BinaryField(blank=True, default=b"")
    image_type = models.CharField(
        max_length=16,
        blank=True,
        choices=[("image/png", "PNG"), ("image/svg+xml", "SVG")],
    )

    class StatusPurpose(models.TextChoices):
        # One credentialStatus entry per credential (the OB 3.0 schema allows one): a
        # definition chooses whether its credentials can be revoked (final) or suspended
        # (reversible; "revoking" one then suspends it for good).
        REVOCATION = "revocation", "Revocation (final)"
        SUSPENSION = "suspension", "Suspension (reversible)"

    status_purpose = models.CharField(
        max_length=16, choices=StatusPurpose.choices, default=StatusPurpose.REVOCATION
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("provider_id", "slug", "-version")
        constraints = (
            models.UniqueConstraint(
                fields=["provider", "slug", "version"], name="credentials_definition_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.status})"


class StatusList(models.Model):
    """A provider's Bitstring Status List of one purpose, with which indexes were handed out."""

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", "Revocation"
        SUSPENSION = "suspension", "Suspension"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="status_lists"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # A provider's lists of one purpose are numbered 1, 2, ...: the next is opened when the
    # newest is full (list 1 keeps the unnumbered URL that early credentials point at).
    number = models.PositiveIntegerField(default=1)
    url = models.URLField(max_length=500, unique=True)
    bits = models.BinaryField()  # 16 KiB, MSB-first, uncompressed
    allocated = models.BinaryField()  # same size: 1 = index handed out (never reused)
    # The signed list credential for the current bits; cleared whenever a bit changes.
    signed = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["provider", "purpose", "number"], name="credentials_list_number"
            ),
        )

    def __str__(self) -> str:
        return f"{self.purpose} list {self.number} of provider {self.provider_id}"


class IssuedCredential(models.Model):
    """A signed credential as issued; ``document`` is never changed after issuing."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="issued_credentials"
    )
    definition = models.ForeignKey(
        MicroCredentialDefinition, on_delete=models.PROTECT, related_name="issued"
    )
    credential_id = models.CharField(max_length=100, unique=True)  # urn:uuid:…
    # Only for delivery (claim emails); the credential itself carries the salted hash.
    recipient_email = models.EmailField(blank=True)
    recipient_email_hash = models.CharField(max_length=100, blank=True, db_index=True)
    recipient_did = models.CharField(max_length=500, blank=True)
    document = models.JSONField()
    # Exactly one is set: the index on the revocation or on the suspension list.
    status_index = models.PositiveIntegerField(null=True, blank=True)
    suspension_index = models.PositiveIntegerField(null=True, blank=True)
    # The list that index is on (null: found from the document's statusListCredential).
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, null=True, blank=True, related_name="credentials"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    reason = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-issued_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["provider", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="credentials_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credentials_revocation_index"
            ),
            models.UniqueConstraint(
                fields=["status_list", "suspension_index"], name="credentials_suspension_index"
            ),
        )

    def __str__(self) -> str:
        return f"{self.credential_id} ({self.state})"


class CredentialPageView(models.Model):
    """How often a credential's public page was looked at on one day (UTC).

    A counter per credential and day, nothing about the visitor (no address, no agent): the
    provider's statistics need the number, and the learner's privacy needs nothing more.
    """

    credential = models.ForeignKey(
        IssuedCredential, on_delete=models.CASCADE, related_name="page_views"
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["credential", "day"], name="credentials_page_view_day"),
        )

    def __str__(self) -> str:
        return f"{self.count} views of {self.credential_id} on {self.day}"
