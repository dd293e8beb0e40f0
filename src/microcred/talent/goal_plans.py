"""Plans for a goal: the published catalog as the planner's offerings, and the plan of an
occupation's gap or of what is left of a pathway (``core.skills.planning.plan_path``).

Decisions:
- Only published offerings are planned. An offering whose prerequisite is not published
  can only be taken by a learner who already completed that prerequisite.
- An offering is *completed* when the learner holds, valid, a credential of its definition
  (any version: a newer version of the same micro-credential is the same course).
- The level an offering teaches a skill at: the offering-skill's level, else the
  offering's EQF level, else its definition's; none stated meets only needs without one.
- The occupation plan covers the *essential* skills the learner lacks; the nice-to-have
  ones are shown beside it, not bought.
- A pathway plan starts from the engine's progress (``core.skills.pathway_goal``), so the
  learner's credentials are not passed again (each counts once, where the engine put it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from microcred.core.pathways import Progress
from microcred.core.skills import planning
from microcred.core.skills.pathway_goal import remaining_goal
from microcred.credentials import achievements
from microcred.skills.models import Offering, Skill
from microcred.talent.goals import Gap, Holdings

_VERSION = re.compile(r"/v\d+$")


@dataclass(frozen=True)
class PlanStep:
    offering: Offering
    covers: list[str]  # labels of the gap skills / achievements it is first to cover
    reason: str  # "prerequisite of X" when it covers nothing itself


@dataclass(frozen=True)
class GoalPlan:
    steps: list[PlanStep]
    total_hours: float
    total_price: Decimal
    currency: str  # "" when the steps' prices are in several currencies
    cost_by: str
    method: str  # "exact", "greedy" or "none-needed"
    optimal: bool
    uncovered: list[str]  # labels of the needs no published offering meets

    @property
    def needed(self) -> bool:
        return self.method != "none-needed"


def _base(achievement_id: str) -> str:
    return _VERSION.sub("", achievement_id)


def key_of(row: Offering) -> str:
    return f"{row.provider.slug}/{row.slug}"


def published_offerings() -> list[Offering]:
    rows = Offering.objects.filter(is_published=True).select_related(
        "provider", "definition__provider"
    )
    return list(rows.prefetch_related("skills__skill", "prerequisites__provider"))


def _earns(row: Offering) -> str | None:
    return achievements.achievement_id(row.definition) if row.definition else None


def _eqf(row: Offering) -> int | None:
    if row.definition is None:
        return None
    try:
        eu = achievements.eu_elements(row.definition)
    except ValidationError:
        return None  # a definition that no longer parses states no level
    return eu.eqf_level if eu is not None else None


def _skills(row: Offering) -> dict[str, int | None]:
    fallback = row.level or _eqf(row)
    return {item.skill.uri: item.level or fallback for item in row.skills.all()}


@dataclass
class Catalog:
    offerings: list[planning.Offering]
    rows: dict[str, Offering]
    completed: frozenset[str]


def catalog_for(held: Holdings) -> Catalog:
    """The planner's view of the published catalog for a learner who holds ``held``."""
    rows = {key_of(row): row for row in published_offerings()}
    done_bases = {_base(a) for a in held.achievements}
    completed = frozenset(
        key for key, row in rows.items() if (e := _earns(row)) and _base(e) in done_bases
    )
    offerings = []
    for key, row in rows.items():
        prerequisites = tuple(key_of(p) for p in row.prerequisites.all())
        if any(p not in rows and p not in completed for p in prerequisites):
            continue  # an unpublished prerequisite cannot be taken (see the module note)
        offerings.append(
            planning.Offering(
                key=key,
                title=row.title,
                hours=float(row.hours),
                price=float(row.price),
                skills=_skills(row),
                earns=_earns(row),
                ects=float(row.ects or 0),
                prerequisites=tuple(p for p in prerequisites if p in rows),
            )
        )
    return Catalog(offerings, rows, completed)


def _labels(plan: planning.Plan, catalog: Catalog, extra: dict[str, str]) -> dict[str, str]:
    keys = set(plan.uncovered) | {c for step in plan.steps for c in step.covers}
    labels = dict(Skill.objects.filter(uri__in=keys).values_list("uri", "label"))
    for row in catalog.rows.values():
        if (e := _earns(row)) in keys and row.definition:
            labels.setdefault(str(e), row.definition.name)
    return {**labels, **{k: v for k, v in extra.items() if v}}


def _explain(plan: planning.Plan, catalog: Catalog, extra: dict[str, str]) -> GoalPlan:
    labels = _labels(plan, catalog, extra)
    steps = [
        PlanStep(
            catalog.rows[step.offering.key],
            [labels.get(c, c) for c in step.covers],
            step.reason,
        )
        for step in plan.steps
    ]
    currencies = {step.offering.currency for step in steps}
    return GoalPlan(
        steps=steps,
        total_hours=plan.total_hours,
        total_price=sum((step.offering.price for step in steps), Decimal(0)),
        currency=currencies.pop() if len(currencies) == 1 else ("" if currencies else "EUR"),
        cost_by=plan.cost_by,
        method=plan.method,
        optimal=plan.optimal,
        uncovered=[labels.get(u, u) for u in plan.uncovered],
    )


def occupation_plan(gap: Gap, held: Holdings, cost_by: Any) -> GoalPlan:
    """The cheapest catalog path to the essential skills the learner lacks."""
    goal = planning.AllOf(
        tuple(
            planning.NeedSkill(item.uri, item.level_asked, item.label)
            for item in gap.lack_essential
        )
    )
    catalog = catalog_for(held)
    plan = planning.plan_path(
        goal,
        catalog.offerings,
        held_skills=held.levels(),
        earned=frozenset(held.achievements),
        completed=catalog.completed,
        cost_by=cost_by,
    )
    labels = {item.uri: item.label for item in gap.lack_essential}
    return _explain(plan, catalog, labels)


def _teaching(catalog: Catalog) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for offering in catalog.offerings:
        for skill in offering.skills:
            if offering.earns:
                found.setdefault(skill, set()).add(offering.earns)
    return {skill: frozenset(ids) for skill, ids in found.items()}


def pathway_plan(progress: Progress, held: Holdings, cost_by: Any) -> GoalPlan | None:
    """The cheapest catalog path to complete a pathway from the learner's progress (None:
    complete already)."""
    catalog = catalog_for(held)
    goal = remaining_goal(progress.root, _teaching(catalog))
    if goal is None:
        return None
    plan = planning.plan_path(
        goal, catalog.offerings, held_skills={}, completed=catalog.completed, cost_by=cost_by
    )
    return _explain(plan, catalog, {})
