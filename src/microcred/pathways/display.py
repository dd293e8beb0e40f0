"""What the learner's progress page shows: the requirement tree with each step's state and
the credentials that filled it, and what would fill each gap (reads only; the evaluation
is the engine's, run live so the page is never staler than the credentials)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from microcred.core.model.facts import facts_of
from microcred.core.pathways import Progress, evaluate
from microcred.core.pathways.progress import NodeProgress, leaf_text
from microcred.credentials import achievements
from microcred.credentials.models import MicroCredentialDefinition
from microcred.delivery.selectors import public_url
from microcred.pathways import earning, selectors
from microcred.pathways.models import PathwayAward, PathwayDefinition

STATES = {"done": "Done", "partial": "In progress", "missing": "Missing"}


@dataclass(frozen=True)
class UsedCredential:
    name: str
    issuer: str
    url: str  # its page: the public page, or the wallet entry of an import


@dataclass(frozen=True)
class Step:
    """One requirement of the tree, as the page shows it."""

    label: str
    state: str  # "done", "partial" or "missing"
    percent: int
    missing: str
    used: list[UsedCredential] = field(default_factory=list)
    children: list[Step] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATES[self.state]


@dataclass(frozen=True)
class Suggestion:
    text: str
    options: list[tuple[str, str]]  # (name, achievement id or URL)


@dataclass(frozen=True)
class PathwayPage:
    pathway: PathwayDefinition
    complete: bool
    percent: int
    tree: Step
    next_steps: list[Suggestion]
    award: PathwayAward | None
    plan: Any = None  # talent.goal_plans.GoalPlan: catalog offerings that complete it


def _label(requirement: Any) -> str:
    kind = requirement.type
    if requirement.title:
        return str(requirement.title)
    if kind == "all":
        return "All of these"
    if kind == "atLeast":
        return f"At least {requirement.k} of these"
    if kind == "creditsAtLeast":
        return f"At least {requirement.n:g} {requirement.unit} in credits"
    return leaf_text(requirement).capitalize()


def _state(node: NodeProgress) -> str:
    return "done" if node.met else ("partial" if node.fraction > 0 else "missing")


def _step(node: NodeProgress, credentials: dict[str, UsedCredential]) -> Step:
    leaf = not node.children
    return Step(
        label=_label(node.requirement),
        state=_state(node),
        percent=round(100 * node.fraction),
        missing=node.missing,
        used=[credentials[c] for c in node.used if c in credentials] if leaf else [],
        children=[_step(child, credentials) for child in node.children],
    )


def _credentials(user: Any) -> dict[str, UsedCredential]:
    found = {}
    for row in earning.issued_to(user):
        facts = facts_of(row.document)
        found[row.credential_id] = UsedCredential(facts.name, facts.issuer_name, public_url(row))
    for item in earning.imported_of(user):
        facts = facts_of(item.document)
        url = f"/wallet/{item.pk}"
        found[item.credential_id] = UsedCredential(facts.name, facts.issuer_name, url)
    return found


def _names(ids: set[str]) -> dict[str, str]:
    """Achievement id -> "name (provider)" for this platform's achievements."""
    names = {}
    rows = MicroCredentialDefinition.objects.exclude(status="draft").select_related("provider")
    for row in rows:
        key = achievements.achievement_id(row)
        if key in ids:
            names[key] = f"{row.name} ({row.provider.name})"
    return names


def _suggestions(progress: Progress) -> list[Suggestion]:
    steps = list(progress.next_steps)
    names = _names({a for step in steps for a in step.achievement_ids})
    return [
        Suggestion(step.text, [(names.get(a, a), a) for a in step.achievement_ids])
        for step in steps
    ]


def _plan(user: Any, progress: Progress, cost_by: str | None) -> Any:
    """What's next, costed: the planner over the published catalog (talent.goal_plans),
    by the learner's goal's choice of hours or price unless the caller says."""
    from microcred.talent import goal_plans, goals  # the talent app builds on this one

    if cost_by is None:
        goal = goals.goal_of(user)
        cost_by = goal.cost_by if goal is not None else "hours"
    return goal_plans.pathway_plan(progress, goals.holdings_of(user), cost_by)


def pathway_page(user: Any, row: PathwayDefinition, cost_by: str | None = None) -> PathwayPage:
    now = timezone.now()
    progress = evaluate(selectors.core_pathway(row), earning.earned_of(user, now=now), now=now)
    return PathwayPage(
        pathway=row,
        complete=progress.complete,
        percent=round(100 * progress.fraction),
        tree=_step(progress.root, _credentials(user)),
        next_steps=_suggestions(progress),
        award=selectors.award_for(user, row),
        plan=_plan(user, progress, cost_by),
    )
