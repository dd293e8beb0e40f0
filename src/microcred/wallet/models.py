"""A learner's wallet: credentials brought from anywhere, and the learner's holder key.

Plain data only; importing, verifying and the rules live in ``services.py`` and
``verifying.py``, reads in ``selectors.py``.

Decision (claimed platform credentials): they are *not* copied into ``WalletCredential``
when claimed. ``selectors.wallet_of`` unions the learner's claimed ``IssuedCredential`` rows
with the imported ones, so a revocation by the provider shows at once and nothing is stored
twice. A feature that needs per-credential state on a claimed credential (sharing: the
``is_public`` flag) materialises a row with ``source="claimed"`` and ``issued`` set; the
selectors leave such rows out of the imports, so the credential is still listed once, as
the claim (its document always comes from ``issued``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class WalletCredential(models.Model):
    """One credential in one learner's wallet, with the verifier's latest report on it."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded file"
        URL = "url", "Fetched from a URL"
        PASTE = "paste", "Pasted"
        CLAIMED = "claimed", "Claimed on this platform"

    class Format(models.TextChoices):
        OB3_JSON = "ob3-json", "Open Badges 3.0 JSON"
        VC_JWT = "vc-jwt", "VC-JWT"
        BAKED_PNG = "baked-png", "Baked PNG badge"
        BAKED_SVG = "baked-svg", "Baked SVG badge"
        OB2_SIGNED = "ob2-signed", "Open Badges 2.0 signed assertion"
        OB2_HOSTED = "ob2-hosted", "Open Badges 2.0 hosted assertion"

    class Verdict(models.TextChoices):
        VALID = "valid", "Valid"
        REVOKED = "revoked", "Revoked"
        SUSPENDED = "suspended", "Suspended"
        EXPIRED = "expired", "Expired"
        UNCHECKED = "unchecked", "Status unknown"
        INVALID = "invalid", "Not valid"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_credentials"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    #: the uploaded file's name or the fetched URL (what the learner recognises it by)
    source_name = models.CharField(max_length=500, blank=True)
    #: exactly what the learner handed in (bounded by services.MAX_IMPORT_BYTES); re-checks
    #: and a later export/backup use these bytes, so a baked image or JWT keeps its proof
    original = models.BinaryField(blank=True, default=b"")
    format = models.CharField(max_length=16, choices=Format.choices)
    #: the credential itself (for a VC-JWT or baked badge: the decoded payload)
    document = models.JSONField()
    #: "id:<credential id>", else "sha256:<hex of the JCS-canonical document>"; unique per owner
    dedupe_key = models.CharField(max_length=600)
    credential_id = models.CharField(max_length=500, blank=True)
    #: set only for a materialised claimed credential (see the module note)
    issued = models.ForeignKey(
        "credentials.IssuedCredential",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wallet_entries",
    )
    #: VerificationReport.to_json() of the latest check, and its outcome for lists
    report = models.JSONField(default=dict)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    verified_at = models.DateTimeField()
    #: shown to others by a sharing feature only when True (never by default)
    is_public = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-added_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["owner", "dedupe_key"], name="wallet_dedupe_per_owner"),
        )
        indexes = (models.Index(fields=["owner", "-added_at"], name="wallet_owner_added"),)

    def __str__(self) -> str:
        return f"{self.credential_id or self.dedupe_key[:20]} in wallet of {self.owner_id}"


class HolderKey(models.Model):
    """A learner's did:key holder key; the Ed25519 seed sealed with the platform's KEK,
    bound to this user and DID (a row copied onto another user cannot be opened)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holder_key"
    )
    did = models.CharField(max_length=200, unique=True)
    public_key_multibase = models.CharField(max_length=100)
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"holder key {self.did} of user {self.owner_id}"
