"""Claim invitations: the email that carries a claim link, and who claimed the credential.

Plain data only; sending, claiming and the rules live in ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ClaimInvitation(models.Model):
    """One per issued credential: the delivery state of its claim email and its owner.

    Only the SHA-256 of the claim token is stored; the token itself exists in the email alone,
    so a database leak does not hand out claim links.
    """

    credential = models.OneToOneField(
        "credentials.IssuedCredential", on_delete=models.CASCADE, related_name="claim_invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A lease: one sender at a time, so two workers never email the same learner twice.
    sending_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_credentials",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=["claimed_by", "-claimed_at"], name="delivery_owner"),)

    def __str__(self) -> str:
        state = "claimed" if self.claimed_by_id else ("sent" if self.sent_at else "pending")
        return f"invitation for credential {self.credential_id} ({state})"
