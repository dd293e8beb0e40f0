"""Auto-claim: a learner who verifies an address gets every credential issued to it."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed  # type: ignore[import-untyped]
from django.dispatch import receiver

from microcred.delivery import services


@receiver(email_confirmed, dispatch_uid="microcred.delivery.claim_on_verified_email")
def claim_on_verified_email(sender: Any, email_address: Any, **kwargs: Any) -> None:
    services.claim_all_for_user(email_address.user)
