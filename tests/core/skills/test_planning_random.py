"""The path planner against brute force on hundreds of small random catalogs.

Each seed builds a catalog of up to 9 offerings (levels, unstated levels, prerequisites,
some missing or cyclic, ECTS, earned credentials) and a goal mixing every node kind, with a
learner holding some skills, credentials and completed offerings. The exact plan must cost
what the cheapest orderable subset costs, cover the coverable part of the goal, report the
rest, and come in an order that respects prerequisites; the greedy plan (exact solver off)
must be a valid cover too, never cheaper than the optimum.
"""

from __future__ import annotations

import random

import pytest

from microcred.core.skills.planning import (
    AllOf,
    AtLeastOf,
    CreditsOf,
    Goal,
    NeedAchievement,
    NeedSkill,
    Offering,
    Plan,
    plan_path,
)
from tests.core.skills._brute import (
    Learner,
    brute_force,
    done_keys,
    reachable,
    relaxed,
    satisfied,
)

SKILLS = [f"s{i}" for i in range(6)]
LEVELS: list[int | None] = [None, 2, 3, 4, 5, 6]
TAUGHT: list[int | None] = [None, 3, 4, 5, 6, 6]


def _offering(rnd: random.Random, i: int, n: int) -> Offering:
    skills = {s: rnd.choice(TAUGHT) for s in rnd.sample(SKILLS, rnd.randint(0, 3))}
    prereqs: list[str] = []
    roll = rnd.random()
    if roll < 0.3 and i > 0:
        prereqs.append(f"o{rnd.randrange(i)}")
    elif roll < 0.35:
        prereqs.append("not-in-catalog")
    elif roll < 0.4 and i + 1 < n:
        prereqs.append(f"o{rnd.randrange(i + 1, n)}")  # forward: sometimes a cycle
    return Offering(
        key=f"o{i}",
        title=f"Offering {i}",
        hours=float(rnd.choice([1, 5, 8, 10, 10, 20, 35])),
        price=float(rnd.choice([0, 50, 100, 100, 250])),
        skills=skills,
        earns=f"a{rnd.randrange(n)}" if rnd.random() < 0.6 else None,
        ects=rnd.choice([0.0, 1.0, 2.5, 5.0]),
        prerequisites=tuple(prereqs),
    )


def _leaf(rnd: random.Random, n: int, taught: list[str]) -> Goal:
    if rnd.random() < 0.7:
        # mostly a skill the catalog teaches (at some level), sometimes any
        skill = rnd.choice(taught) if taught and rnd.random() < 0.8 else rnd.choice(SKILLS)
        return NeedSkill(skill, rnd.choice(LEVELS), label=f"label of {skill}")
    return NeedAchievement(f"a{rnd.randrange(n + 1)}")


def _goal(rnd: random.Random, n: int, taught: list[str], depth: int = 0) -> Goal:
    roll = rnd.random()
    if depth >= 2 or roll < 0.35:
        return _leaf(rnd, n, taught)
    if roll < 0.45:
        pool = frozenset(f"a{rnd.randrange(n + 2)}" for _ in range(rnd.randint(0, 4)))
        return CreditsOf(rnd.choice([2.5, 5.0, 7.5]), pool)
    children = tuple(_goal(rnd, n, taught, depth + 1) for _ in range(rnd.randint(1, 4)))
    if roll < 0.75:
        return AllOf(children)
    return AtLeastOf(rnd.randint(0, len(children) + (1 if rnd.random() < 0.1 else 0)), children)


def _case(seed: int) -> tuple[Goal, list[Offering], Learner]:
    rnd = random.Random(seed)
    n = rnd.randint(1, 10)
    catalog = [_offering(rnd, i, n) for i in range(n)]
    taught = sorted({s for o in catalog for s in o.skills})
    goal = AllOf(tuple(_goal(rnd, n, taught, 1) for _ in range(rnd.randint(1, 3))))
    held = {s: rnd.choice(LEVELS) for s in rnd.sample(SKILLS, rnd.randint(0, 2))}
    earned = frozenset(f"a{i}" for i in range(n + 2) if rnd.random() < 0.1)
    completed = frozenset(o.key for o in catalog if rnd.random() < 0.1)
    return goal, catalog, Learner(held, earned, completed)


def _plan(goal: Goal, catalog: list[Offering], who: Learner, **kw: object) -> Plan:
    return plan_path(
        goal, catalog, held_skills=who.held, earned=who.earned, completed=who.completed, **kw
    )  # type: ignore[arg-type]


def _check_valid(plan: Plan, goal: Goal, catalog: list[Offering], who: Learner) -> Goal | None:
    """The plan is in a feasible order and covers what can be covered; returns that part."""
    done = done_keys(catalog, who)
    seen = set(done)
    for step in plan.steps:
        assert step.offering.key not in done, "a done offering is planned again"
        assert all(p in seen for p in step.offering.prerequisites), "prerequisite after its step"
        seen.add(step.offering.key)
    taken = [o for o in catalog if o.key in seen]
    target = relaxed(goal, reachable(catalog, who), who)
    if target is not None:
        assert satisfied(target, taken, who)
    assert bool(plan.uncovered) == (target is not goal)
    assert plan.total_hours == pytest.approx(sum(s.offering.hours for s in plan.steps))
    return target


@pytest.mark.parametrize("block", range(8))
def test_exact_plan_costs_what_brute_force_finds(block: int) -> None:
    checked = 0
    for seed in range(block * 50, block * 50 + 50):
        goal, catalog, who = _case(seed)
        cost_by = "hours" if seed % 2 else "price"
        plan = _plan(goal, catalog, who, cost_by=cost_by)
        target = _check_valid(plan, goal, catalog, who)
        best = brute_force(target, catalog, who, cost_by) if target is not None else None
        if target is None:
            assert plan.steps == ()
            continue
        assert best is not None, seed
        cost = plan.total_hours if cost_by == "hours" else plan.total_price
        assert cost == pytest.approx(best[0], abs=1e-6), (seed, plan, best)
        assert plan.optimal and plan.method in ("exact", "none-needed")
        assert (plan.method == "none-needed") == (best[2] == frozenset() and target is goal)
        checked += 1
    assert checked > 30  # most cases have something to compare


@pytest.mark.parametrize("block", range(4))
def test_greedy_fallback_gives_a_valid_cover_never_below_the_optimum(block: int) -> None:
    for seed in range(1000 + block * 50, 1000 + block * 50 + 50):
        goal, catalog, who = _case(seed)
        greedy = _plan(goal, catalog, who, time_limit=0)
        exact = _plan(goal, catalog, who)
        _check_valid(greedy, goal, catalog, who)
        assert greedy.uncovered == exact.uncovered
        assert greedy.total_hours >= exact.total_hours - 1e-9
        if exact.steps:  # something to plan: the greedy planned it
            assert greedy.method == "greedy" and not greedy.optimal
            assert any("exact planner was not run" in note for note in greedy.notes)
