"""Writes of the delivery app: claim emails and claiming.

- :func:`invite` sends a credential's claim email once (idempotent); a failure is recorded
  on the invitation and retried by :func:`microcred.delivery.tasks.send_invitation`.
- :func:`deliver` / :func:`deliver_many` queue that work (the hooks of single and batch
  issuing: one job per batch);
  :func:`deliver_pending` queues it for every credential still waiting for its email.
- :func:`claim` links a credential to the signed-in learner through its claim link;
  :func:`claim_all_for_user` links every credential addressed to a verified address.

Decision (claiming): a credential lands only in an account that has the credential's
recipient address *verified*. The claim link alone is not enough, because links get
forwarded; the email address is what the signed credential is bound to (its salted hash).
A learner signed in with another account is told to add and verify that address, which
then claims automatically.

Refusals raise ``django.core.exceptions.PermissionDenied``; an unknown token or an
undeliverable credential raises ``ValidationError`` keyed by argument name.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from microcred.core.model import normalize_email
from microcred.credentials.models import IssuedCredential
from microcred.delivery import selectors
from microcred.delivery.models import ClaimInvitation
from microcred.pathways import hooks as pathway_hooks
from microcred.providers.services import record_event
from microcred.talent import hooks as talent_hooks

MAX_ATTEMPTS = 5
# Longer than any SMTP conversation: a crashed sender's lease expires and another retries.
LEASE = timedelta(minutes=5)
_SPACE = re.compile(r"\s+")
_QUEUE_BATCH = 100  # credentials per queued email job


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, selectors.token_hash(token)


def _deliverable(credential: IssuedCredential) -> None:
    if not credential.recipient_email:
        raise ValidationError({"credential": "has no recipient email address to send to"})
    if credential.state == IssuedCredential.State.REVOKED:
        raise ValidationError({"credential": "is revoked: no claim email is sent"})


def invitation_for(credential: IssuedCredential) -> ClaimInvitation:
    """The credential's invitation, created (with an unsent token) on first use."""
    invitation, _ = ClaimInvitation.objects.get_or_create(
        credential=credential, defaults={"token_hash": _new_token()[1]}
    )
    return invitation


def retry_delay(attempts: int) -> timedelta | None:
    """When to try again after ``attempts`` failed sends (None: give up)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return timedelta(minutes=4 ** max(attempts - 1, 0))


def invite(credential: IssuedCredential) -> ClaimInvitation:
    """Send the claim email of ``credential`` unless it was sent (or claimed) already.

    Each attempt draws a fresh token, so only the link in the email that went out works.
    An SMTP failure does not raise: it is recorded in ``last_error`` and ``send_attempts``
    (the task retries). Concurrent calls send at most one email (a lease on the row).
    """
    _deliverable(credential)
    invitation = invitation_for(credential)
    if invitation.sent_at is not None or invitation.claimed_by_id is not None:
        return invitation
    token = _take_lease(invitation)
    if token is not None:
        try:
            _send_email(credential, token)
        except OSError as error:  # smtplib.SMTPException and socket errors are OSErrors
            _record_failure(invitation, error)
        else:
            _record_sent(invitation, credential)
    invitation.refresh_from_db()
    return invitation


def _take_lease(invitation: ClaimInvitation) -> str | None:
    now = timezone.now()
    token, digest = _new_token()
    taken = (
        ClaimInvitation.objects.filter(
            pk=invitation.pk, sent_at__isnull=True, claimed_by__isnull=True
        )
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))
        .update(token_hash=digest, sending_until=now + LEASE, send_attempts=F("send_attempts") + 1)
    )
    return token if taken else None


def _record_failure(invitation: ClaimInvitation, error: OSError) -> None:
    message = f"{type(error).__name__}: {error}"[:1000]
    ClaimInvitation.objects.filter(pk=invitation.pk).update(last_error=message, sending_until=None)


def _record_sent(invitation: ClaimInvitation, credential: IssuedCredential) -> None:
    with transaction.atomic():
        ClaimInvitation.objects.filter(pk=invitation.pk).update(
            sent_at=timezone.now(), sending_until=None, last_error=""
        )
        record_event(
            action="credential.invited",
            provider=credential.provider,
            subject=credential.credential_id,
            details={"attempts": invitation.send_attempts + 1},
        )


def email_context(credential: IssuedCredential, token: str) -> dict[str, Any]:
    return {
        "provider": credential.provider.name,
        "achievement": credential.definition.name,
        "description": credential.definition.description,
        "claim_url": selectors.claim_url(token),
        "public_url": selectors.public_url(credential),
        "recipient": credential.recipient_email,
    }


def _send_email(credential: IssuedCredential, token: str) -> None:
    context = email_context(credential, token)
    # A header holds one line: names with line breaks must not break (or inject) headers.
    subject = _SPACE.sub(" ", render_to_string("delivery/email/subject.txt", context)).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("delivery/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[credential.recipient_email],
    )
    message.attach_alternative(
        render_to_string("delivery/email/invitation.html", context), "text/html"
    )
    message.send()


def deliver(credential: IssuedCredential) -> None:
    """Queue the claim email of a freshly issued credential (after the issuing commit)."""
    deliver_many([credential])


def deliver_many(credentials: Iterable[IssuedCredential]) -> None:
    """Queue the claim emails of freshly issued credentials as one job, after the commit.

    One job per issuing batch rather than one per credential: a bulk chunk of a hundred
    credentials writes one task row, not a hundred (a quarter of bulk issuing time went to
    queueing). Each email still succeeds, fails and is retried on its own.
    """
    pks = [
        credential.pk
        for credential in credentials
        if credential.recipient_email and credential.state != IssuedCredential.State.REVOKED
    ]
    if not pks:
        return
    from microcred.delivery.tasks import send_invitation, send_invitations  # tasks import us

    def enqueue() -> None:
        if len(pks) == 1:
            send_invitation.enqueue(pks[0])
        else:
            send_invitations.enqueue(pks)

    if _queues_in_this_transaction(send_invitation.get_backend()):
        # The job row is written in the issuing transaction: it exists exactly when the
        # credentials do, and costs no commit of its own.
        enqueue()
    else:
        transaction.on_commit(enqueue)


def _queues_in_this_transaction(backend: Any) -> bool:
    """True for the database queue on the default database (what `microcred worker` runs)."""
    from django_tasks_db.backend import DatabaseBackend

    database = getattr(backend, "database", None) or "default"
    return isinstance(backend, DatabaseBackend) and database == "default"


def deliver_pending(provider_slug: str | None = None) -> int:
    """Queue the claim email of every credential still waiting for one; returns how many."""
    waiting = (
        IssuedCredential.objects.exclude(recipient_email="")
        .exclude(state=IssuedCredential.State.REVOKED)
        .filter(
            Q(claim_invitation__isnull=True)
            | Q(claim_invitation__sent_at__isnull=True, claim_invitation__claimed_by__isnull=True)
        )
    )
    if provider_slug:
        waiting = waiting.filter(provider__slug=provider_slug)
    count = 0
    batch: list[IssuedCredential] = []
    for credential in waiting.only("pk", "recipient_email", "state").iterator():
        batch.append(credential)
        count += 1
        if len(batch) == _QUEUE_BATCH:
            deliver_many(batch)
            batch = []
    deliver_many(batch)
    return count


# ------------------------------------------------------------------------------ claiming


def claim(*, user: Any, token: str) -> IssuedCredential:
    """Put the credential of a claim link into ``user``'s account (idempotent per user)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to claim this credential.")
    with transaction.atomic():
        invitation = (
            ClaimInvitation.objects.select_for_update(of=("self",))
            .select_related("credential__provider")
            .filter(token_hash=selectors.token_hash(token))
            .first()
        )
        if invitation is None:
            raise ValidationError({"token": "This claim link is not valid."})
        return _claim_locked(invitation, user, via="link")


def _claim_locked(invitation: ClaimInvitation, user: Any, *, via: str) -> IssuedCredential:
    credential = invitation.credential
    if invitation.claimed_by_id == user.pk:
        return credential
    if invitation.claimed_by_id is not None:
        raise PermissionDenied("This credential was already claimed by another account.")
    if normalize_email(credential.recipient_email) not in selectors.verified_addresses(user):
        raise PermissionDenied(
            "This credential was issued to an email address that is not verified on your "
            "account. Add and verify that address to claim it."
        )
    invitation.claimed_by = user
    invitation.claimed_at = timezone.now()
    invitation.save(update_fields=["claimed_by", "claimed_at"])
    record_event(
        action="credential.claimed",
        actor=user,
        provider=credential.provider,
        subject=credential.credential_id,
        details={"via": via},
    )
    pathway_hooks.credential_changed(credential)
    talent_hooks.credential_changed(credential)
    return credential


def claim_all_for_user(user: Any) -> list[IssuedCredential]:
    """Claim every unclaimed credential addressed to one of ``user``'s verified addresses
    (called whenever an address is verified); returns the newly claimed ones."""
    addresses = selectors.verified_addresses(user)
    if not addresses:
        return []
    unclaimed = IssuedCredential.objects.filter(recipient_email__in=addresses).filter(
        Q(claim_invitation__isnull=True) | Q(claim_invitation__claimed_by__isnull=True)
    )
    claimed = []
    for credential in unclaimed.select_related("provider"):
        invitation = invitation_for(credential)
        with transaction.atomic():
            locked = ClaimInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.claimed_by_id is not None:
                continue  # another account was faster; it keeps the credential
            locked.credential = credential
            claimed.append(_claim_locked(locked, user, via="verified-email"))
    return claimed
