"""Evaluating learners against pathways, storing their progress, awarding the stacked
credential and applying a pathway's revocation policy.

Evaluation is the engine's (``core.pathways.evaluate``); this module feeds it the learner's
credentials (``earning``) and turns its answer into rows and credentials:

- complete and not awarded yet: the stacked credential is issued to the learner's verified
  address (the claim email goes out with it), citing each component as OB evidence, signed
  by the owning provider in the name of whoever published the pathway;
- no longer complete after an award: ``keep`` does nothing, ``flag`` marks the award,
  ``suspend`` suspends the stacked credential with a reason naming the lost component;
- complete again: a flag is lifted and a suspension (which this module made) undone.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.core.model.facts import facts_of
from microcred.core.pathways import Earned, Progress, evaluate
from microcred.credentials import issuing, revocation
from microcred.credentials.models import IssuedCredential
from microcred.delivery.selectors import public_url
from microcred.pathways import earning, selectors
from microcred.pathways.models import PathwayAward, PathwayDefinition, PathwayProgress
from microcred.platform.faults import pause_point
from microcred.providers.services import record_event
from microcred.wallet.models import WalletCredential

log = logging.getLogger(__name__)
State = PathwayAward.State
#: evaluations run since start (the tests and the benchmark read it: one credential change
#: must evaluate only the pathways that mention it)
COUNTER = {"evaluations": 0}


def evaluate_learner(
    user: Any, rows: list[PathwayDefinition] | None = None, *, now: datetime | None = None
) -> list[PathwayProgress]:
    """Evaluate ``user`` against ``rows`` (default: every published pathway); store and act."""
    now = now or timezone.now()
    rows = list(selectors.published()) if rows is None else rows
    if not rows:
        return []
    earned = earning.earned_of(user, now=now)
    stored = []
    for row in rows:
        progress = evaluate(selectors.core_pathway(row), earned, now=now)
        COUNTER["evaluations"] += 1
        found = _store(user, row, progress, now)
        if found is not None:
            stored.append(found)
        if progress.complete:
            _award_or_restore(user, row, progress)
        else:
            _apply_policy(user, row, earned)
    return stored


def _store(
    user: Any, row: PathwayDefinition, progress: Progress, now: datetime
) -> PathwayProgress | None:
    """Upsert the learner's progress; a learner with nothing towards a pathway gets no row
    (a full re-evaluation must not write one row per account and pathway)."""
    fraction = float(progress.fraction)
    if fraction <= 0 and not PathwayProgress.objects.filter(learner=user, pathway=row).exists():
        return None
    values = {
        "fraction": fraction,
        "complete": bool(progress.complete),
        "used": sorted({e.credential_id for e in progress.used}),
        "evaluated_at": now,
    }
    found, _ = PathwayProgress.objects.update_or_create(learner=user, pathway=row, defaults=values)
    return found


def award_address(user: Any) -> str | None:
    """The learner's verified address the award is issued to (primary first)."""
    found = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "id")
        .values_list("email", flat=True)
        .first()
    )
    return str(found) if found else None


def _award_or_restore(user: Any, row: PathwayDefinition, progress: Progress) -> None:
    award = selectors.award_for(user, row)
    if award is None:
        make_award(user, row, progress)
    elif award.state != State.AWARDED:
        _restore(award, row)


def make_award(user: Any, row: PathwayDefinition, progress: Progress) -> PathwayAward | None:
    """Issue the stacked credential once (unique per learner and pathway, and an idempotency
    key per learner and pathway slug); None when it cannot be issued yet (see the log)."""
    email = award_address(user)
    actor = row.published_by
    if email is None or row.award_definition is None or actor is None:
        log.warning("pathway %s complete for user %s but not awardable", row.pk, user.pk)
        return None
    components = sorted({e.credential_id for e in progress.used})
    # One transaction: the stacked credential, the award and both audit events commit
    # together, so a process killed half-way leaves nothing and the next evaluation awards.
    with transaction.atomic():
        credential = issuing.issue_credential(
            actor=actor,
            definition=row.award_definition,
            recipient_email=email,
            narrative=f"Completed the pathway {row.name} with {len(components)} credentials.",
            evidence=evidence_of(user, progress.used),
            idempotency_key=f"pathway:{row.provider.slug}/{row.slug}:{user.pk}",
        )
        pause_point("pathways.award-issued")
        try:
            with transaction.atomic():
                award = PathwayAward.objects.create(
                    learner=user, pathway=row, credential=credential, components=components
                )
        except IntegrityError:  # a concurrent evaluation awarded it first
            return selectors.award_for(user, row)
        record_event(
            action="pathway.awarded",
            provider=row.provider,
            subject=credential.credential_id,
            details={"pathway": row.slug, "version": row.version, "components": components},
        )
    return award


def evidence_of(user: Any, used: list[Earned]) -> list[dict[str, Any]]:
    """One OB Evidence item per component: its public page (or id), name and digest.

    OB 3.0 Evidence has no digest property and microcred signs no undefined terms, so the
    digest is stated in ``description`` as ``sha256:<hex>`` of the JCS-canonical document."""
    ids = [e.credential_id for e in used]
    rows = {r.credential_id: r for r in IssuedCredential.objects.filter(credential_id__in=ids)}
    imported = {
        w.credential_id: w
        for w in WalletCredential.objects.filter(owner=user, credential_id__in=ids)
    }
    items = []
    for earned in sorted(used, key=lambda e: e.credential_id):
        row, item = rows.get(earned.credential_id), imported.get(earned.credential_id)
        document = row.document if row else (item.document if item else {})
        name = facts_of(document).name or earned.achievement_id
        where = "issued on this platform" if row else "imported from another issuer"
        items.append(
            {
                "id": public_url(row) if row else earned.credential_id,
                "type": ["Evidence"],
                "name": name,
                "narrative": f"Component credential {name} ({where}): {earned.credential_id}",
                "description": f"digest {earned.digest}",
                "genre": "Component credential",
            }
        )
    return items


def _lost(award: PathwayAward, earned: list[Earned]) -> list[Earned]:
    """Components of the award that no longer count (revoked, suspended, expired...)."""
    by_id = {e.credential_id: e for e in earned}
    return [
        by_id.get(cid) or _missing(cid)
        for cid in award.components
        if cid not in by_id or by_id[cid].standing != "valid"
    ]


def _missing(credential_id: str) -> Earned:
    return Earned(
        credential_id=credential_id, achievement_id="", issuer_id="", skills=frozenset(),
        credits_ects=0, hours=0, result=None, issued=timezone.now(), standing="revoked",
        imported=False,
    )  # fmt: skip


def _apply_policy(user: Any, row: PathwayDefinition, earned: list[Earned]) -> None:
    award = selectors.award_for(user, row)
    if award is None or award.state != State.AWARDED:
        return
    policy = selectors.core_pathway(row).revocation_policy
    lost = _lost(award, earned)
    if policy == "keep" or not lost or row.published_by is None:
        return
    names = ", ".join(f"{_name(e)} ({e.standing})" for e in lost)
    note = f"The pathway is no longer complete: component {names}."
    if policy == "suspend":
        revocation.suspend(actor=row.published_by, credential=award.credential, reason=note)
        award.state = State.SUSPENDED
    else:
        award.state = State.FLAGGED
    award.note = note
    award.save(update_fields=["state", "note"])
    record_event(
        action=f"pathway.award_{award.state}",
        provider=row.provider,
        subject=award.credential.credential_id,
        details={"pathway": row.slug, "lost": [e.credential_id for e in lost]},
    )


def _name(earned: Earned) -> str:
    row = IssuedCredential.objects.filter(credential_id=earned.credential_id).first()
    name = facts_of(row.document).name if row else ""
    return name or earned.achievement_id or earned.credential_id


def _restore(award: PathwayAward, row: PathwayDefinition) -> None:
    credential = award.credential
    if award.state == State.SUSPENDED:
        if credential.state != IssuedCredential.State.SUSPENDED or row.published_by is None:
            return  # revoked by hand meanwhile: that decision stands
        revocation.unsuspend(
            actor=row.published_by, credential=credential, reason="the pathway is complete again"
        )
    award.state, award.note = State.AWARDED, ""
    award.save(update_fields=["state", "note"])
