"""Provider organisations, their staff, their signing keys and their audit trail.

Plain data only: every rule (who may do what, which key is active, what gets audited)
lives in ``services.py``; reads live in ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Provider(models.Model):
    """An issuing organisation (university, training company, employer academy)."""

    class DidMethod(models.TextChoices):
        WEB = "web", "did:web (served by this platform)"
        KEY = "key", "did:key (no domain of its own)"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # EU issuer data (European Learning Model / Council Recommendation on micro-credentials).
    legal_name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NL")
    region = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    accreditation = models.TextField(
        blank=True, help_text="Accreditation and quality assurance of the provider"
    )
    did_method = models.CharField(max_length=8, choices=DidMethod.choices)
    did = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class Membership(models.Model):
    """A user's role at one provider."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ISSUER = "issuer", "Issuer"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_memberships"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["user", "provider"], name="providers_one_role_per_user"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.provider.slug}"


class ProviderKey(models.Model):
    """One Ed25519 signing key; retired keys stay listed so old signatures still verify."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="keys")
    key_id = models.CharField(max_length=100, help_text="DID URL fragment, e.g. key-1")
    public_key_multibase = models.CharField(max_length=100)
    # nonce || AES-256-GCM(seed), associated data = provider DID + key id (see keystore.py).
    encrypted_secret = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    # Set by the compromised-key procedure (providers/compromise.py): the key leaves the DID
    # document, so nothing it signed verifies any more; the row stays as the record.
    compromised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=["provider", "key_id"], name="providers_key_id_unique"),
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(retired_at__isnull=True),
                name="providers_one_active_key",
            ),
        )

    def __str__(self) -> str:
        state = "compromised" if self.compromised_at else "retired" if self.retired_at else "active"
        return f"{self.provider.slug}#{self.key_id} ({state})"


class AuditEvent(models.Model):
    """Append-only record of who did what; only services create these, nothing updates them."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    subject = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class ApiToken(models.Model):
    """A provider API credential; only the SHA-256 of its secret is stored (see services)."""

    class Role(models.TextChoices):
        ISSUER = "issuer", "Issuer (read and write)"
        VIEWER = "viewer", "Viewer (read only)"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="api_tokens")
    # The token acts as this user, capped at ``role``: it loses its rights with theirs.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, unique=True, help_text="Shown to tell tokens apart")
    secret_hash = models.CharField(max_length=64, unique=True)  # hex SHA-256 of the secret
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else self.role
        return f"{self.name} (mc_{self.prefix}…, {state})"
