"""Exhaustive reference for the path planner (tests only, catalogs of about a dozen offerings).

Written apart from the planner's own modules on purpose: it reads the rules of
``planning.plan_path`` (see ``planning_model``'s docstring) and re-implements them on the
public types, over every subset of the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from microcred.core.skills.planning import (
    AllOf,
    AtLeastOf,
    CostBy,
    CreditsOf,
    Goal,
    NeedAchievement,
    NeedSkill,
    Offering,
)


@dataclass(frozen=True)
class Learner:
    held: dict[str, int | None]
    earned: frozenset[str]
    completed: frozenset[str]


def _level_ok(level: int | None, min_level: int | None) -> bool:
    return min_level is None or (level is not None and level >= min_level)


def done_keys(catalog: list[Offering], who: Learner) -> set[str]:
    return set(who.completed) | {o.key for o in catalog if o.earns and o.earns in who.earned}


def satisfied(goal: Goal, taken: list[Offering], who: Learner) -> bool:
    """``taken``: the done offerings plus the chosen ones."""
    if isinstance(goal, NeedSkill):
        held = goal.skill in who.held and _level_ok(who.held[goal.skill], goal.min_level)
        return held or any(
            goal.skill in o.skills and _level_ok(o.skills[goal.skill], goal.min_level)
            for o in taken
        )
    if isinstance(goal, NeedAchievement):
        return goal.achievement in who.earned or any(o.earns == goal.achievement for o in taken)
    if isinstance(goal, CreditsOf):
        pool = [o for o in taken if not goal.achievements or o.earns in goal.achievements]
        return sum(o.ects for o in pool) >= goal.credits - 1e-9
    hits = sum(satisfied(c, taken, who) for c in goal.children)
    return hits == len(goal.children) if isinstance(goal, AllOf) else hits >= goal.k


def orderable(chosen: list[Offering], done: set[str]) -> bool:
    """Every chosen offering can be taken after its prerequisites (none missing, no cycle)."""
    have, left = set(done), list(chosen)
    while left:
        ready = [o for o in left if all(p in have for p in o.prerequisites)]
        if not ready:
            return False
        have |= {o.key for o in ready}
        left = [o for o in left if o.key not in have]
    return True


def relaxed(goal: Goal, can: list[Offering], who: Learner) -> Goal | None:
    """The coverable part of ``goal`` (``can``: done + every orderable offering)."""
    if satisfied(goal, can, who):
        return goal
    if isinstance(goal, AllOf):
        kept = [r for r in (relaxed(c, can, who) for c in goal.children) if r is not None]
        return AllOf(tuple(kept)) if kept else None
    if isinstance(goal, AtLeastOf):
        kept = [c for c in goal.children if satisfied(c, can, who)]
        return AllOf(tuple(kept)) if kept else None
    return None


def brute_force(
    goal: Goal, catalog: list[Offering], who: Learner, cost_by: CostBy = "hours"
) -> tuple[float, float, frozenset[str]] | None:
    """(cost, other cost, keys) of the cheapest orderable subset meeting ``goal``; None: none."""
    done = done_keys(catalog, who)
    base = [o for o in catalog if o.key in done]
    pool = [o for o in catalog if o.key not in done]
    other: CostBy = "price" if cost_by == "hours" else "hours"
    best: tuple[float, float, frozenset[str]] | None = None
    for size in range(len(pool) + 1):
        for chosen in combinations(pool, size):
            if not orderable(list(chosen), done) or not satisfied(goal, base + list(chosen), who):
                continue
            cost = sum(getattr(o, cost_by) for o in chosen)
            second = sum(getattr(o, other) for o in chosen)
            if best is None or (cost, second) < best[:2]:
                best = (cost, second, frozenset(o.key for o in chosen))
    return best


def reachable(catalog: list[Offering], who: Learner) -> list[Offering]:
    """Done offerings plus every offering that can be taken in some order."""
    done = done_keys(catalog, who)
    have, changed = set(done), True
    while changed:
        new = {
            o.key for o in catalog if o.key not in have and all(p in have for p in o.prerequisites)
        }
        changed = bool(new)
        have |= new
    return [o for o in catalog if o.key in have]
