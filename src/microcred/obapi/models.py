"""What the API stores for a learner: profile, credentials brought from elsewhere, clients."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class LearnerProfile(models.Model):
    """The learner's OB ``Profile`` as API clients see and replace it (PUT /profile)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ob_profile"
    )
    profile_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of user {self.user_id}"


class UploadedCredential(models.Model):
    """A credential a learner's client stored with POST /credentials (upsert).

    ``issuer_id`` and ``credential_id`` are kept as compared (percent-unescaped, trimmed) so
    the spec's equality rule is a plain lookup. ``compact_jws`` is set for VC-JWT uploads.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploaded_credentials"
    )
    issuer_id = models.CharField(max_length=500)
    credential_id = models.CharField(max_length=500)
    document = models.JSONField()
    compact_jws = models.TextField(blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["user", "issuer_id", "credential_id"], name="obapi_uploaded_identity"
            ),
        )

    def __str__(self) -> str:
        return self.credential_id


class RegisteredClient(models.Model):
    """RFC 7591 metadata of a dynamically registered client (its DOT ``Application``)."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="ob_registration"
    )
    scope = models.TextField()  # space separated, as registered
    metadata = models.JSONField()  # the accepted registration request, echoed back
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"registration of {self.application_id}"
