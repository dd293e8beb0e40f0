"""What other apps call when a credential changes, so that the matching index follows.

Like the pathways hooks: each runs after the caller's transaction commits, touches only the
learners the credential belongs to and only those who opted in to matching, and never
raises into issuing, claiming, importing or revoking (``robust``).

The index rows' copies of a credential's state and public flag (``HeldSkill.usable``,
``public``) are set at once, in the caller's transaction: one UPDATE by credential, so a
revocation or a learner making a credential private shows in the very next search. The
search re-checks the originals for every candidate it shows, so a missed hook can leave a
stale row out of the index but never shows a revoked or expired credential as proof.

Bulk issuing's hot path: one query for a whole chunk decides that none of its recipients
has opted in (the usual case) and stops there.

This module imports nothing of the apps at load time (issuing, revocation, delivery and the
wallet import it).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def credential_changed(credential: Any) -> None:
    """An ``IssuedCredential`` was issued, claimed, revoked, suspended or unsuspended."""
    from microcred.talent.models import HeldSkill

    HeldSkill.objects.filter(issued_id=credential.pk).update(usable=credential.state == "active")
    transaction.on_commit(partial(_issued_many, [credential.pk]), robust=True)


def credentials_changed(credentials: Any) -> None:
    """Several were issued at once (a bulk chunk)."""
    pks = [credential.pk for credential in credentials]
    transaction.on_commit(partial(_issued_many, pks), robust=True)


def wallet_changed(item: Any) -> None:
    """A ``WalletCredential`` was imported or re-checked."""
    from microcred.talent.models import HeldSkill

    HeldSkill.objects.filter(wallet_id=item.pk).update(
        usable=item.verdict == "valid", public=item.is_public
    )
    transaction.on_commit(partial(_owners_changed, [item.owner_id]), robust=True)


def sharing_changed(owner: Any) -> None:
    """The learner made some of their credentials public or private (``set_public``)."""
    from django.db.models import Exists, OuterRef

    from microcred.talent.models import HeldSkill
    from microcred.wallet.models import WalletCredential

    public = WalletCredential.objects.filter(is_public=True)
    rows = HeldSkill.objects.filter(owner=owner)
    rows.filter(wallet__isnull=False).update(public=Exists(public.filter(pk=OuterRef("wallet_id"))))
    claims = public.filter(owner_id=OuterRef("owner_id"), issued_id=OuterRef("issued_id"))
    rows.filter(issued__isnull=False).update(public=Exists(claims))


def _issued_many(pks: list[int]) -> None:
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
    from django.db.models import Q
    from django.db.models.functions import Lower

    from microcred.credentials.models import IssuedCredential
    from microcred.talent.models import MatchingConsent

    if not MatchingConsent.objects.filter(opted_in=True).exists():
        return
    rows = IssuedCredential.objects.filter(pk__in=pks).values_list(
        "recipient_email", "claim_invitation__claimed_by_id"
    )
    emails = {email.lower() for email, _ in rows if email}
    claimers = {claimer for _, claimer in rows if claimer is not None}
    by_address = (
        EmailAddress.objects.annotate(lowered=Lower("email"))
        .filter(lowered__in=emails, verified=True)
        .values_list("user_id", flat=True)
    )
    owners = MatchingConsent.objects.filter(opted_in=True).filter(
        Q(owner_id__in=claimers) | Q(owner_id__in=by_address)
    )
    _owners_changed(list(owners.values_list("owner_id", flat=True)))


def _owners_changed(user_ids: list[int]) -> None:
    from django.contrib.auth import get_user_model

    from microcred.talent import indexing
    from microcred.talent.models import MatchingConsent

    consenting = MatchingConsent.objects.filter(owner_id__in=user_ids, opted_in=True)
    ids = list(consenting.values_list("owner_id", flat=True))
    if ids:
        indexing.rebuild(get_user_model().objects.filter(pk__in=ids))
