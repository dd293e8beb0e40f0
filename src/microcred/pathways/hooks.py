"""What other apps call when a credential changes, so that pathways follow incrementally.

Each hook runs after the caller's transaction commits (nothing is evaluated against data
that may still roll back) and re-evaluates only the learners the credential belongs to,
against only the published pathways that mention its achievement or skills. A failure is
logged, never raised into issuing, claiming, importing or revoking (``robust``); the full
re-evaluation job (``tasks.reevaluate_pathway``) repairs whatever a failed hook missed.

This module imports nothing of the apps at load time: issuing, revocation, delivery and the
wallet import it, and the pathways services import them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def credential_changed(credential: Any) -> None:
    """An ``IssuedCredential`` was issued, claimed, revoked, suspended or unsuspended."""
    transaction.on_commit(partial(_issued, credential.pk), robust=True)


def credentials_changed(credentials: Any) -> None:
    """Several were issued at once (a bulk chunk)."""
    pks = [credential.pk for credential in credentials]
    transaction.on_commit(partial(_issued_many, pks), robust=True)


def wallet_changed(item: Any) -> None:
    """A ``WalletCredential`` was imported or re-checked."""
    transaction.on_commit(partial(_imported, item.pk), robust=True)


def _issued(pk: int) -> None:
    _issued_many([pk])


def _issued_many(pks: list[int]) -> None:
    from microcred.credentials.models import IssuedCredential
    from microcred.pathways import earning, evaluation, selectors

    published = list(selectors.published())  # once per batch, not once per credential
    if not published:
        return
    touched: dict[tuple[str, frozenset[str]], list[Any]] = {}  # a batch shares its keys
    for row in IssuedCredential.objects.filter(pk__in=pks).select_related("claim_invitation"):
        key = earning.keys_of(row.document)
        if key not in touched:
            touched[key] = selectors.mentioning(*key, among=published)
        for learner in earning.learners_of(row) if touched[key] else []:
            evaluation.evaluate_learner(learner, touched[key])


def _imported(pk: int) -> None:
    from microcred.pathways import earning, evaluation, selectors
    from microcred.wallet.models import WalletCredential

    item = WalletCredential.objects.filter(pk=pk).select_related("owner").first()
    if item is not None:
        rows = selectors.mentioning(*earning.keys_of(item.document))
        if rows:
            evaluation.evaluate_learner(item.owner, rows)
