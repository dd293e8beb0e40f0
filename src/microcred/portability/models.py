"""The platform's own signing identity (it signs the CLRs learners export).

One row per key. The current key is the newest unretired one whose DID is the platform DID
for the configured base URL (``identity.platform_did_method``); a new base URL gets a new
key on first use. Retired did:web keys stay listed in the DID document so CLRs signed
before a rotation keep verifying. The seed is sealed with the KEK like provider keys.
"""

from __future__ import annotations

from django.db import models


class PlatformKey(models.Model):
    did = models.CharField(max_length=300)
    #: the fragment of the verification method (``key-1`` for did:web, the multibase for did:key)
    key_id = models.CharField(max_length=100)
    public_key_multibase = models.CharField(max_length=100)
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=["did", "key_id"], name="platform_key_per_did"),
        )

    def __str__(self) -> str:
        return f"platform key {self.did}#{self.key_id}"
