"""What a learner shares: an opt-in public profile and share links. Plain data only; the
rules are in ``services.py`` (writes) and ``selectors.py`` (reads).

Decision (per-credential visibility): the wallet's own ``WalletCredential.is_public`` flag
is the one truth of "public" (the wallet model documents it as the sharing feature's), so
no second Visibility table can disagree with it. For a credential claimed on this platform
``services.set_public`` materialises the wallet row the wallet model describes
(``source="claimed"``, ``issued`` set); the wallet's selectors leave such rows out of its
imports, so the credential is still listed once.

A share link names wallet entries by their wallet key (``w<pk>`` for an imported credential,
``c<uuid>`` for a claimed one) and resolves them through the owner's wallet on every view:
a credential removed from the wallet disappears from every link, and a link can never show
anything that is not the owner's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """A learner's public profile: off until the learner opts in."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_profile"
    )
    is_public = models.BooleanField(default=False)
    #: lower-case; unique among all learners; None until the learner picks one
    handle = models.CharField(max_length=40, unique=True, null=True, blank=True)
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile {self.handle or '(no handle)'} of user {self.owner_id}"


class ShareLink(models.Model):
    """A link to a chosen set of the owner's credentials. Only the SHA-256 of its token is
    stored: the URL is shown once, when made, and a copied database does not open links."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    #: the learner's own note ("for the Acme application"); never shown to visitors
    label = models.CharField(max_length=100, blank=True)
    #: wallet keys ("w<pk>", "c<uuid>") in the order the learner chose them
    keys = models.JSONField()
    #: signed into the link's presentation as its challenge: fixed per link, so it binds the
    #: presentation to the holder but proves no freshness (see docs/wallet.md, Sharing)
    challenge = models.CharField(max_length=64)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["owner", "-created_at"], name="share_owner_created"),)

    def __str__(self) -> str:
        return f"share link {self.pk} of user {self.owner_id}"
