"""Background jobs of delivery (django-tasks; run by ``microcred worker``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from microcred.credentials.models import IssuedCredential
from microcred.delivery import services


@task()
def send_invitation(credential_pk: int) -> dict[str, Any]:
    """Send one credential's claim email; after a failure, queue a later retry (backing off,
    up to ``services.MAX_ATTEMPTS`` attempts) when the backend can defer tasks."""
    credential = (
        IssuedCredential.objects.select_related("provider", "definition")
        .filter(pk=credential_pk)
        .first()
    )
    if credential is None:
        return {"sent": False, "error": "no such credential"}
    try:
        invitation = services.invite(credential)
    except ValidationError as error:
        return {"sent": False, "error": "; ".join(error.messages)}
    sent = invitation.sent_at is not None
    in_flight = invitation.sending_until is not None and invitation.sending_until > timezone.now()
    if not sent and invitation.claimed_by_id is None and not in_flight:
        _retry_later(credential_pk, invitation.send_attempts)
    return {"sent": sent, "attempts": invitation.send_attempts, "error": invitation.last_error}


@task()
def send_invitations(credential_pks: list[int]) -> dict[str, Any]:
    """The claim emails of one issuing batch, one after the other; each is sent, recorded
    and (after a failure) retried on its own, exactly as :func:`send_invitation` does."""
    outcomes = [send_invitation.call(pk) for pk in credential_pks]
    return {
        "sent": sum(1 for outcome in outcomes if outcome["sent"]),
        "unsent": sum(1 for outcome in outcomes if not outcome["sent"]),
    }


def _retry_later(credential_pk: int, attempts: int) -> None:
    delay = services.retry_delay(attempts)
    # The immediate backend cannot defer: there a later call (or deliver_pending) retries.
    if delay is not None and send_invitation.get_backend().supports_defer:
        send_invitation.using(run_after=timezone.now() + delay).enqueue(credential_pk)
