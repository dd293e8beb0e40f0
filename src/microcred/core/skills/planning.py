"""Learning paths: the cheapest set of catalog offerings that closes a learner's gap.

INTERFACE (fixed; the implementation is being written): a *goal* is a small requirement
tree, the same shapes as a pathway (``core.pathways``): every gap skill of a role is a
``NeedSkill`` under an ``AllOf``; a pathway's tree maps node for node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from microcred.core.skills.planning_model import Problem

CostBy = Literal["hours", "price"]


@dataclass(frozen=True)
class NeedSkill:
    """Met by an offering that teaches ``skill`` (a URI) at ``min_level`` or above (None: any)."""

    skill: str
    min_level: int | None = None
    label: str = ""


@dataclass(frozen=True)
class NeedAchievement:
    """Met by an offering whose earned credential is this achievement id."""

    achievement: str
    label: str = ""


@dataclass(frozen=True)
class AllOf:
    children: tuple[Goal, ...]


@dataclass(frozen=True)
class AtLeastOf:
    k: int
    children: tuple[Goal, ...]


@dataclass(frozen=True)
class CreditsOf:
    """Met when the chosen offerings that earn one of ``achievements`` (empty: any offering)
    add up to ``credits`` ECTS."""

    credits: float
    achievements: frozenset[str] = frozenset()


Goal = NeedSkill | NeedAchievement | AllOf | AtLeastOf | CreditsOf


@dataclass(frozen=True)
class Offering:
    key: str
    title: str
    hours: float
    price: float
    #: skill URI -> level taught (None: level not stated, meets a need without min_level only)
    skills: dict[str, int | None] = field(default_factory=dict)
    #: the achievement id of the credential it leads to
    earns: str | None = None
    ects: float = 0.0
    #: keys of offerings that must all be taken first (unless already completed)
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    offering: Offering
    #: gap skills this step is the first to cover, and achievement ids it earns for the goal
    covers: tuple[str, ...]
    #: why it is there when it covers nothing itself ("prerequisite of X")
    reason: str


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]  # a feasible order: prerequisites first
    total_hours: float
    total_price: float
    cost_by: CostBy
    #: needs no offering can meet (the plan covers what it can)
    uncovered: tuple[str, ...]
    method: Literal["exact", "greedy", "none-needed"]
    optimal: bool
    #: plain-language remarks: why a need cannot be met, that the time limit was reached
    notes: tuple[str, ...] = ()


def plan_path(
    goal: Goal,
    offerings: list[Offering],
    *,
    held_skills: dict[str, int | None],
    earned: frozenset[str] = frozenset(),
    completed: frozenset[str] = frozenset(),
    cost_by: CostBy = "hours",
    time_limit: float = 2.0,
) -> Plan:
    """Exact (``scipy.optimize.milp``) under ``time_limit`` seconds, greedy beyond it.

    The cost minimised is ``cost_by`` (hours or price); the other one breaks ties. Offerings
    already ``completed`` (keys) or whose credential is ``earned`` are not planned again and
    count as done (see ``planning_model`` for every rule). ``time_limit <= 0`` skips the
    exact solver. Bad catalog data (a negative cost, a duplicate key) raises ``ValueError``
    naming the offering.
    """
    # imported here: scipy is only loaded when a plan is computed, not by importing the types
    from microcred.core.skills.planning_model import compile_problem
    from microcred.core.skills.planning_order import explain

    problem = compile_problem(
        goal, offerings, held_skills=held_skills, earned=earned, completed=completed,
        cost_by=cost_by,
    )  # fmt: skip
    if problem.already_met:
        return Plan((), 0.0, 0.0, cost_by, (), "none-needed", True)
    chosen: set[int] = set()
    method: Literal["exact", "greedy"] = "exact"
    optimal = True
    if problem.root is not None:
        chosen, method, optimal = _solve(problem, time_limit)
    steps = explain(problem, problem.root, chosen)
    return Plan(
        steps=steps,
        total_hours=sum(s.offering.hours for s in steps),
        total_price=sum(s.offering.price for s in steps),
        cost_by=cost_by,
        uncovered=tuple(dict.fromkeys(problem.uncovered)),
        method=method,
        optimal=optimal,
        notes=tuple(problem.notes),
    )


def _solve(
    problem: Problem, time_limit: float
) -> tuple[set[int], Literal["exact", "greedy"], bool]:
    """Exact when it finishes in time; otherwise the cheaper of its best guess and greedy."""
    from microcred.core.skills.planning_greedy import prune, solve_greedy
    from microcred.core.skills.planning_milp import solve_exact

    assert problem.root is not None
    exact: set[int] | None = None
    if time_limit > 0:
        exact, proven = solve_exact(problem, problem.root, time_limit)
        if exact is not None and proven:
            return prune(problem, problem.root, exact), "exact", True
    late = "was not run" if time_limit <= 0 else f"did not finish within {time_limit:g} s"
    problem.notes.append(f"the exact planner {late}: this plan is good but may not be the cheapest")
    greedy = solve_greedy(problem, problem.root)
    if exact is not None and _cost(problem, exact) < _cost(problem, greedy):
        return prune(problem, problem.root, exact), "exact", False
    return greedy, "greedy", False


def _cost(problem: Problem, chosen: set[int]) -> float:
    return sum(problem.cost[i] for i in chosen)
