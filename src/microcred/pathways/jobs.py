"""The full re-evaluation of one pathway for every learner (the job behind ``tasks``), and
the scheduled refresh after credentials expire (:func:`refresh_expired`).

Resumable and idempotent: each learner's evaluation is an upsert, and an award happens once,
so a job stopped halfway is simply run again. Progress is written on the pathway row every
``CHUNK`` learners (``reevaluation_done`` of ``reevaluation_total``) for the provider's page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from microcred.core.model.facts import facts_of
from microcred.credentials.models import IssuedCredential
from microcred.pathways import evaluation
from microcred.pathways.models import PathwayDefinition, PathwayProgress
from microcred.wallet.models import WalletCredential

CHUNK = 200


def learners() -> QuerySet[Any]:
    """Accounts that can hold credentials: a verified address or something imported."""
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=verified) | Q(wallet_credentials__isnull=False))
        .distinct()
        .order_by("pk")
    )


def reevaluate_all(pathway_id: int) -> dict[str, int]:
    row = PathwayDefinition.objects.select_related("provider", "published_by").get(pk=pathway_id)
    if row.status != PathwayDefinition.Status.PUBLISHED:
        return {"done": 0, "total": 0}
    everyone = learners()
    total = everyone.count()
    _progress(row, 0, total, finished=False)
    done = 0
    now = timezone.now()
    for learner in everyone.iterator(chunk_size=CHUNK):
        evaluation.evaluate_learner(learner, [row], now=now)
        done += 1
        if done % CHUNK == 0:
            _progress(row, done, total, finished=False)
    _progress(row, done, total, finished=True)
    return {"done": done, "total": total}


def _progress(row: PathwayDefinition, done: int, total: int, *, finished: bool) -> None:
    PathwayDefinition.objects.filter(pk=row.pk).update(
        reevaluation_done=done,
        reevaluation_total=total,
        reevaluated_at=timezone.now() if finished else None,
    )


def refresh_expired(*, now: datetime | None = None) -> int:
    """Re-evaluate every learner for whom a credential that counted has expired since that
    evaluation. Expiry is the one change no request announces, so this runs on a schedule
    (`microcred pathways refresh`, daily from cron, or the `refresh_expired_pathways` task).
    Returns how many learners were re-evaluated; running it twice re-evaluates nobody twice."""
    now = now or timezone.now()
    rows = list(
        PathwayProgress.objects.exclude(used=[]).values_list("learner_id", "evaluated_at", "used")
    )
    ends = _valid_until({credential for _, _, used in rows for credential in used})
    due = {
        learner
        for learner, evaluated_at, used in rows
        if any(evaluated_at < ends[c] <= now for c in used if c in ends)
    }
    for learner in get_user_model().objects.filter(pk__in=due).order_by("pk"):
        evaluation.evaluate_learner(learner, now=now)
    return len(due)


def _valid_until(credential_ids: set[str]) -> dict[str, datetime]:
    """credential id -> its validUntil, for those of ``credential_ids`` that have one."""
    documents = list(
        IssuedCredential.objects.filter(credential_id__in=credential_ids).values_list(
            "credential_id", "document"
        )
    )
    documents += WalletCredential.objects.filter(credential_id__in=credential_ids).values_list(
        "credential_id", "document"
    )
    found = {}
    for credential_id, document in documents:
        end = facts_of(document).valid_until
        if end is not None:
            found[credential_id] = end
    return found
