"""Deleting a learner's account: personal data goes, what verifiers rely on stays.

Removed, in one transaction: the user row (so signing in fails), its email addresses,
wallet items and holder key, the sharing app's profile and links, the OB API profile,
uploaded credentials and OAuth grants/tokens/applications, and every session of the user.
Claimed platform credentials are unlinked (``ClaimInvitation.claimed_by`` cleared).

Kept: the issued credentials (the provider's rows, with the recipient address the provider
issued to: the provider's own record), status lists and revocation records, so every
credential the learner ever showed still verifies as what it is. Audit events keep no
trace of the learner: their actor is cleared and events that named the user
(``member.added``...) are anonymised.

Refused: accounts that are staff of a provider (a provider's owner removes them first; a
provider must never lose its last owner to a learner's button), and accounts whose bulk
jobs a provider still keeps.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from microcred.delivery.models import ClaimInvitation
from microcred.obapi.models import LearnerProfile, UploadedCredential
from microcred.providers.models import AuditEvent, Membership
from microcred.wallet.models import HolderKey, WalletCredential

DELETED = "(deleted account)"


class DeletionRefused(Exception):
    """The account was not deleted; ``where`` names the field, ``message`` says why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where, self.message = where, message


def delete_account(user: Any, password: str) -> None:
    """Delete ``user``'s account after checking ``password`` (see the module note)."""
    if not user.is_authenticated or not user.check_password(password):
        raise DeletionRefused("password", "The password is not correct.")
    if Membership.objects.filter(user=user).exists():
        raise DeletionRefused(
            "account",
            "This account is staff of a provider. Ask the provider's owner to remove you "
            "(or hand over ownership) before deleting the account.",
        )
    user_id = user.pk
    with transaction.atomic():
        _anonymise_audit(user)
        ClaimInvitation.objects.filter(claimed_by=user).update(claimed_by=None, claimed_at=None)
        forget_sharing_data(user)
        _delete_personal_rows(user)
        _end_sessions(user_id)
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            raise DeletionRefused(
                "account", "A provider still keeps bulk jobs started by this account."
            ) from None


def _anonymise_audit(user: Any) -> None:
    AuditEvent.objects.filter(actor=user).update(actor=None)
    for event in AuditEvent.objects.filter(details__user_id=user.pk):
        details = {k: v for k, v in event.details.items() if k != "user_id"}
        # Audit events are append-only; erasing a person's data is the one exception.
        AuditEvent.objects.filter(pk=event.pk).update(subject=DELETED, details=details)


def forget_sharing_data(user: Any) -> None:
    """Hook: the sharing app's data of ``user`` (public profile, share links). The sharing
    app exposes no deletion function, so its rows are deleted here by owner."""
    from django.apps import apps

    if apps.is_installed("microcred.sharing"):
        from microcred.sharing.models import Profile, ShareLink

        ShareLink.objects.filter(owner=user).delete()
        Profile.objects.filter(owner=user).delete()


def _delete_personal_rows(user: Any) -> None:
    """Explicitly, not only by cascade: a later foreign key with SET_NULL must not keep any."""
    WalletCredential.objects.filter(owner=user).delete()
    HolderKey.objects.filter(owner=user).delete()
    UploadedCredential.objects.filter(user=user).delete()
    LearnerProfile.objects.filter(user=user).delete()
    for model in (
        get_refresh_token_model(),
        get_access_token_model(),
        get_id_token_model(),
        get_grant_model(),
        get_application_model(),
    ):
        model.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()


def _end_sessions(user_id: int) -> None:
    """Every live session signed in as the user (the database session backend)."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
