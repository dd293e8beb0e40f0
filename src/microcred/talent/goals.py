"""A learner's goal (services and selectors): the target, what they hold, the gap.

The gap of an occupation is its skills (essential ones, and optional ones shown as "nice to
have") minus what the learner holds *verified*: credentials whose standing is ``valid``
now, by the pathway engine's own rule (``pathways.earning``: platform credentials that are
theirs and neither revoked, suspended nor expired; imports whose last check verified
them). A credential holds each skill it is aligned to at its EQF level (the achievement's
EU elements). Decision: a skill held without a stated level meets a need that asks for no
level, but not one that asks for a level (the page shows it as "level not stated").

The plan for the gap is ``talent.goal_plans``'; this module never writes outside a goal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from microcred.core.errors import InputError
from microcred.core.model.eu import EUElements
from microcred.core.model.facts import facts_of
from microcred.delivery.selectors import public_url
from microcred.pathways import earning
from microcred.pathways import selectors as pathways
from microcred.pathways.models import PathwayDefinition
from microcred.skills.models import Occupation, OccupationSkill
from microcred.talent.goal_models import LearnerGoal

COST_BY = {choice.value for choice in LearnerGoal.CostBy}
SEARCH_LIMIT = 25


@dataclass(frozen=True)
class Proof:
    """A credential that proves a skill."""

    name: str
    issuer: str
    url: str
    level: int | None
    achievement_id: str


@dataclass
class Holdings:
    """What the learner holds verified: skill URI -> proofs, and the achievements earned."""

    skills: dict[str, list[Proof]] = field(default_factory=dict)
    achievements: set[str] = field(default_factory=set)

    def level(self, skill: str) -> int | None:
        levels = [p.level for p in self.skills.get(skill, ()) if p.level is not None]
        return max(levels) if levels else None

    def levels(self) -> dict[str, int | None]:
        return {skill: self.level(skill) for skill in self.skills}


@dataclass(frozen=True)
class GapSkill:
    uri: str
    label: str
    essential: bool
    level_asked: int | None
    level_held: int | None
    held: bool  # some valid credential is aligned to it (maybe below the level asked)
    proofs: tuple[Proof, ...] = ()

    @property
    def met(self) -> bool:
        if not self.held:
            return False
        return self.level_asked is None or (
            self.level_held is not None and self.level_held >= self.level_asked
        )


@dataclass(frozen=True)
class Gap:
    have: list[GapSkill]
    lack_essential: list[GapSkill]
    lack_optional: list[GapSkill]


# --- writes --------------------------------------------------------------------------


def _pathway_target(value: str) -> PathwayDefinition:
    provider, _, slug = value.partition("/")
    row = pathways.published().filter(provider__slug=provider, slug=slug).first()
    if row is None:
        raise ValidationError({"pathway": f"no published pathway {value!r}"})
    return row


@transaction.atomic
def set_goal(
    *, learner: Any, occupation: int | str | None = None, pathway: str | None = None
) -> LearnerGoal:
    """Aim at an occupation (its id) or a published pathway ("provider/slug"), not both."""
    if bool(occupation) == bool(pathway):
        raise ValidationError({"target": "choose one occupation or one pathway"})
    goal = LearnerGoal.objects.select_for_update().filter(learner=learner).first()
    goal = goal or LearnerGoal(learner=learner)
    goal.occupation, goal.pathway_provider, goal.pathway_slug = None, None, ""
    if occupation:
        found = Occupation.objects.filter(pk=_int(occupation, "occupation")).first()
        if found is None:
            raise ValidationError({"occupation": f"no occupation {occupation!r}"})
        goal.occupation = found
    else:
        row = _pathway_target(str(pathway))
        goal.pathway_provider, goal.pathway_slug = row.provider, row.slug
    goal.save()
    return goal


def _int(value: int | str, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: f"not an id: {value!r}"}) from None


def set_cost_by(*, learner: Any, cost_by: str) -> LearnerGoal:
    if cost_by not in COST_BY:
        raise ValidationError({"cost_by": f"choose one of {', '.join(sorted(COST_BY))}"})
    goal = goal_of(learner)
    if goal is None:
        raise ValidationError({"cost_by": "choose a goal first"})
    goal.cost_by = cost_by
    goal.save(update_fields=["cost_by", "updated_at"])
    return goal


def clear_goal(*, learner: Any) -> None:
    LearnerGoal.objects.filter(learner=learner).delete()


# --- reads ---------------------------------------------------------------------------


def goal_of(learner: Any) -> LearnerGoal | None:
    return (
        LearnerGoal.objects.filter(learner=learner)
        .select_related("occupation", "pathway_provider")
        .first()
    )


def goal_pathway(goal: LearnerGoal) -> PathwayDefinition | None:
    """The newest published version of the goal's pathway (None: no longer published)."""
    rows = pathways.published().filter(provider=goal.pathway_provider_id, slug=goal.pathway_slug)
    return rows.order_by("-version").first()


def search_occupations(query: str) -> QuerySet[Occupation]:
    """Occupations whose label (or, on SQLite and PostgreSQL alike, alternative labels
    as stored JSON text) contains the query; the first ``SEARCH_LIMIT``."""
    query = query.strip()
    rows = Occupation.objects.all()
    if query:
        rows = rows.filter(Q(label__icontains=query) | Q(alt_labels__icontains=query))
    return rows.order_by("label", "id")[:SEARCH_LIMIT]


def published_pathways() -> list[PathwayDefinition]:
    """One row per published pathway (its newest version)."""
    newest: dict[tuple[int, str], PathwayDefinition] = {}
    for row in pathways.published().order_by("provider_id", "slug", "-version"):
        newest.setdefault((row.provider_id, row.slug), row)
    return sorted(newest.values(), key=lambda row: row.name)


def _level(document: dict[str, Any]) -> int | None:
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    try:
        eu = EUElements.from_achievement(achievement or {})
    except InputError:
        return None
    return eu.eqf_level if eu is not None else None


def _documents(learner: Any, now: datetime) -> list[tuple[dict[str, Any], str, str]]:
    """(document, standing, page URL) of every credential the learner holds."""
    found: list[tuple[dict[str, Any], str, str]] = [
        (row.document, earning.platform_standing(row, now), public_url(row))
        for row in earning.issued_to(learner)
    ]
    for item in earning.imported_of(learner):
        # An import counts only while its last check verified it (the pathway engine's rule).
        standing = "valid" if item.verdict == "valid" else "not valid"
        found.append((item.document, standing, f"/wallet/{item.pk}"))
    return found


def holdings_of(learner: Any, *, now: datetime | None = None) -> Holdings:
    """Skills and achievements of the learner's credentials that count now (valid only)."""
    now = now or timezone.now()
    held = Holdings()
    for document, standing, url in _documents(learner, now):
        if standing != "valid":
            continue
        facts = facts_of(document)
        proof = Proof(facts.name, facts.issuer_name, url, _level(document), facts.achievement_id)
        held.achievements.add(facts.achievement_id)
        for skill in earning.skills_of(document):
            held.skills.setdefault(skill, []).append(proof)
    return held


def occupation_gap(occupation: Occupation, held: Holdings) -> Gap:
    """The occupation's skills split into held (at the level asked) and lacking."""
    gap = Gap([], [], [])
    rows = OccupationSkill.objects.filter(occupation=occupation).select_related("skill")
    for row in rows.order_by("-importance", "skill__label"):
        uri = row.skill.uri
        item = GapSkill(
            uri=uri,
            label=row.skill.label,
            essential=row.relation == OccupationSkill.Relation.ESSENTIAL,
            level_asked=row.level,
            level_held=held.level(uri),
            held=uri in held.skills,
            proofs=tuple(held.skills.get(uri, ())),
        )
        if item.met:
            gap.have.append(item)
        elif item.essential:
            gap.lack_essential.append(item)
        else:
            gap.lack_optional.append(item)
    return gap
