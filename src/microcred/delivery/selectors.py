"""Reads of the delivery app: invitations by token, a learner's addresses and credentials."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from microcred.core.model import normalize_email
from microcred.credentials.models import IssuedCredential
from microcred.delivery.models import ClaimInvitation


def token_hash(token: str) -> str:
    """What is stored for a claim token: hex SHA-256 (the token has 256 random bits, so a
    fast unsalted hash is enough and allows an indexed lookup)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def claim_url(token: str) -> str:
    return f"{settings.MICROCRED_BASE_URL}{reverse('delivery:claim', args=[token])}"


def public_url(credential: IssuedCredential) -> str:
    """The credential's public page (the id after ``urn:uuid:``)."""
    uuid = credential.credential_id.removeprefix("urn:uuid:")
    path = reverse("credentials:credential", kwargs={"credential_uuid": uuid})
    return f"{settings.MICROCRED_BASE_URL}{path}"


def invitation_for_token(token: str) -> ClaimInvitation:
    """The invitation a claim link stands for (404 for an unknown or mistyped token)."""
    try:
        return ClaimInvitation.objects.select_related(
            "credential__provider", "credential__definition", "claimed_by"
        ).get(token_hash=token_hash(token))
    except ClaimInvitation.DoesNotExist:
        raise Http404("This claim link is not valid.") from None


def verified_addresses(user: Any) -> set[str]:
    """The user's verified email addresses, normalised as issuing normalises recipients."""
    if user is None or not user.is_authenticated:
        return set()
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {normalize_email(email) for email in emails}


def credentials_of_user(user: Any) -> QuerySet[IssuedCredential]:
    """The credentials a learner has claimed, most recently claimed first."""
    if user is None or not user.is_authenticated:
        return IssuedCredential.objects.none()
    return (
        IssuedCredential.objects.filter(claim_invitation__claimed_by=user)
        .select_related("provider", "definition", "claim_invitation")
        .order_by("-claim_invitation__claimed_at", "-id")
    )


@dataclass(frozen=True)
class ClaimView:
    """What the claim page shows one visitor. ``state`` is one of ``anonymous``,
    ``claimable``, ``yours``, ``taken`` (by another account) or ``mismatch`` (the credential
    is addressed to an email address that is not verified on this account)."""

    invitation: ClaimInvitation
    state: str
    public_url: str


def claim_view(invitation: ClaimInvitation, user: Any) -> ClaimView:
    page = public_url(invitation.credential)
    if user is None or not user.is_authenticated:
        return ClaimView(invitation, "anonymous", page)
    if invitation.claimed_by_id is not None:
        state = "yours" if invitation.claimed_by_id == user.pk else "taken"
        return ClaimView(invitation, state, page)
    addressed = normalize_email(invitation.credential.recipient_email)
    state = "claimable" if addressed in verified_addresses(user) else "mismatch"
    return ClaimView(invitation, state, page)
