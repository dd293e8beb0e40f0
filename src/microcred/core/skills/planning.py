"""Learning paths: the cheapest set of catalog offerings that closes a learner's gap.

INTERFACE (fixed; the implementation is being written): a *goal* is a small requirement
tree, the same shapes as a pathway (``core.pathways``): every gap skill of a role is a
``NeedSkill`` under an ``AllOf``; a pathway's tree maps node for node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
    """Exact (``scipy.optimize.milp``) under ``time_limit`` seconds, greedy beyond it."""
    raise NotImplementedError
