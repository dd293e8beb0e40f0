"""What the learner's "my goal" page shows (reads only): the target, the gap, the plan,
and the choices for a new target. Everything is computed live from the learner's
credentials and the published catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from microcred.pathways import display
from microcred.pathways.models import PathwayDefinition
from microcred.skills.models import Occupation
from microcred.talent import goals
from microcred.talent.goal_models import LearnerGoal
from microcred.talent.goal_plans import GoalPlan, occupation_plan


@dataclass(frozen=True)
class GoalPage:
    goal: LearnerGoal | None
    target: str  # the occupation's or pathway's name ("" without a goal)
    occupation: Occupation | None = None
    gap: goals.Gap | None = None
    pathway: display.PathwayPage | None = None
    plan: GoalPlan | None = None
    missing_target: bool = False  # the goal's pathway is no longer published
    query: str = ""
    occupations: list[Occupation] = field(default_factory=list)
    pathways: list[PathwayDefinition] = field(default_factory=list)
    #: taxonomy schemes whose data the page shows (ESCO, O*NET need their attribution)
    schemes: frozenset[str] = frozenset()


def _choices(query: str) -> dict[str, Any]:
    return {
        "query": query,
        "occupations": list(goals.search_occupations(query)) if query else [],
        "pathways": goals.published_pathways(),
    }


def goal_page(learner: Any, *, query: str = "") -> GoalPage:
    goal = goals.goal_of(learner)
    choices = _choices(query)
    schemes = {o.scheme for o in choices["occupations"]}
    if goal is None:
        return GoalPage(goal=None, target="", schemes=frozenset(schemes), **choices)
    if goal.occupation is not None:
        held = goals.holdings_of(learner)
        gap = goals.occupation_gap(goal.occupation, held)
        return GoalPage(
            goal=goal,
            target=goal.occupation.label,
            occupation=goal.occupation,
            gap=gap,
            plan=occupation_plan(gap, held, goal.cost_by),
            schemes=frozenset(schemes | {goal.occupation.scheme}),
            **choices,
        )
    row = goals.goal_pathway(goal)
    if row is None:
        return GoalPage(goal=goal, target=goal.pathway_slug, missing_target=True, **choices)
    page = display.pathway_page(learner, row, cost_by=goal.cost_by)
    return GoalPage(
        goal=goal, target=row.name, pathway=page, plan=page.plan, schemes=frozenset(schemes),
        **choices,
    )  # fmt: skip
