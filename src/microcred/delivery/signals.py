"""Auto-claim: a learner gets every credential issued to one of their verified addresses,
when an address is verified and, for credentials issued since, whenever they sign in."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed  # type: ignore[import-untyped]
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from microcred.delivery import services


@receiver(email_confirmed, dispatch_uid="microcred.delivery.claim_on_verified_email")
def claim_on_verified_email(sender: Any, email_address: Any, **kwargs: Any) -> None:
    services.claim_all_for_user(email_address.user)


@receiver(user_logged_in, dispatch_uid="microcred.delivery.claim_on_sign_in")
def claim_on_sign_in(sender: Any, user: Any, **kwargs: Any) -> None:
    # One indexed query when nothing is waiting (recipient_email IN the user's addresses).
    services.claim_all_for_user(user)
