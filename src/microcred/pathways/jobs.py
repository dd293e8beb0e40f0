"""The full re-evaluation of one pathway for every learner (the job behind ``tasks``).

Resumable and idempotent: each learner's evaluation is an upsert, and an award happens once,
so a job stopped halfway is simply run again. Progress is written on the pathway row every
``CHUNK`` learners (``reevaluation_done`` of ``reevaluation_total``) for the provider's page.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from microcred.pathways import evaluation
from microcred.pathways.models import PathwayDefinition

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
