"""The planner's view of a goal: what is available, what is already met, what cannot be met.

``compile_problem`` turns a goal tree and a catalog into a :class:`Problem`: the offerings a
learner could still take (indices into ``Problem.offerings``), each one's prerequisites still
to take, and a compiled tree of :class:`Node` holding only what is *not yet met*. Both
solvers (``planning_milp``, ``planning_greedy``) and the step ordering work on it.

Decisions (the issue is silent on them):

- *Done* offerings are the ``completed`` keys plus every catalog offering whose credential is
  already ``earned``. They are never planned again; their credential counts as earned, their
  skills as held and their ECTS towards ``CreditsOf`` pools (earned credentials outside the
  catalog count for ``NeedAchievement`` but bring no known ECTS).
- An offering is *available* when all its prerequisites are done or available themselves
  (a least fixpoint): a prerequisite missing from the catalog, or a prerequisite cycle, makes
  it (and everything that needs it) unavailable.
- A level: ``None`` (not stated) meets only a need without ``min_level``; a stated level meets
  ``min_level`` when it is at least that. The same rule holds for held skills.
- A goal that cannot be met even with every available offering is *relaxed*: an impossible
  leaf or credit pool is dropped and reported; ``AllOf`` keeps its possible children; an
  ``AtLeastOf k`` short of possible children requires all its possible children and reports
  the shortfall. The plan then covers the coverable part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from microcred.core.skills.planning import (
    AllOf,
    CostBy,
    CreditsOf,
    Goal,
    NeedAchievement,
    NeedSkill,
    Offering,
)

#: credit sums are compared with this slack (ECTS are decimals like 2.5)
CREDIT_SLACK = 1e-9
#: weight of the other cost in the objective, relative to the sum of all other costs: small
#: enough never to outweigh a difference in the chosen cost, large enough to break its ties
TIE_WEIGHT = 1e-4


@dataclass
class Node:
    """A not-yet-met part of the goal, over available offerings (indices)."""

    kind: Literal["all", "atleast", "leaf", "credits"]
    children: list[Node] = field(default_factory=list)
    k: int = 0  # atleast: how many children must still be met
    meeters: frozenset[int] = frozenset()  # leaf: offerings that meet it
    weights: dict[int, float] = field(default_factory=dict)  # credits: offering -> ECTS
    need: float = 0.0  # credits: ECTS still needed
    ident: str = ""  # leaf: skill URI or achievement id; credits: "10 ECTS"
    label: str = ""


@dataclass
class Problem:
    offerings: list[Offering]  # available, not done, in catalog order
    prereqs: list[tuple[int, ...]]  # per offering: prerequisites still to take
    cost: list[float]  # objective per offering: chosen cost + TIE_WEIGHT-scaled other cost
    root: Node | None  # None: nothing (more) to plan
    already_met: bool  # the goal was met before relaxation
    uncovered: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def teaches(level: int | None, min_level: int | None) -> bool:
    return min_level is None or (level is not None and level >= min_level)


def _higher(a: int | None, b: int | None) -> int | None:
    """The better of two levels; a stated level beats an unstated one."""
    return a if b is None else b if a is None else max(a, b)


def _validate(offerings: list[Offering]) -> None:
    seen: set[str] = set()
    for o in offerings:
        if o.key in seen:
            raise ValueError(f"offering {o.key!r}: duplicate key in the catalog")
        seen.add(o.key)
        for name in ("hours", "price", "ects"):
            value = getattr(o, name)
            if not isinstance(value, int | float) or math.isnan(value) or value < 0:
                raise ValueError(f"offering {o.key!r}: {name} must be a number >= 0")


def _available(offerings: list[Offering], done: set[str]) -> list[Offering]:
    """The least fixpoint: offerings whose prerequisites can all be met, in catalog order."""
    ok: set[str] = set()
    pending = [o for o in offerings if o.key not in done]
    changed = True
    while changed:
        changed = False
        rest = []
        for o in pending:
            if all(p in done or p in ok for p in o.prerequisites):
                ok.add(o.key)
                changed = True
            else:
                rest.append(o)
        pending = rest
    return [o for o in offerings if o.key in ok]


@dataclass
class _Context:
    available: list[Offering]
    held: dict[str, int | None]
    earned: frozenset[str]
    done: list[Offering]


def _leaf_skill(goal: NeedSkill, ctx: _Context) -> Node | None:
    if goal.skill in ctx.held and teaches(ctx.held[goal.skill], goal.min_level):
        return None
    meeters = frozenset(
        i
        for i, o in enumerate(ctx.available)
        if goal.skill in o.skills and teaches(o.skills[goal.skill], goal.min_level)
    )
    return Node("leaf", meeters=meeters, ident=goal.skill, label=_skill_label(goal))


def _skill_label(goal: NeedSkill) -> str:
    name = goal.label or goal.skill
    return name if goal.min_level is None else f"{name} (level {goal.min_level})"


def _credits(goal: CreditsOf, ctx: _Context) -> Node | None:
    def qualifies(o: Offering) -> bool:
        return not goal.achievements or o.earns in goal.achievements

    have = sum(o.ects for o in ctx.done if qualifies(o))
    need = goal.credits - have
    if need <= CREDIT_SLACK:
        return None
    weights = {i: o.ects for i, o in enumerate(ctx.available) if qualifies(o) and o.ects > 0}
    text = f"{goal.credits:g} ECTS"
    return Node("credits", weights=weights, need=need, ident=text, label=text)


def _compile(goal: Goal, ctx: _Context) -> Node | None:
    """The unmet part of ``goal``; None when it is already met."""
    if isinstance(goal, NeedSkill):
        return _leaf_skill(goal, ctx)
    if isinstance(goal, NeedAchievement):
        if goal.achievement in ctx.earned:
            return None
        meeters = frozenset(i for i, o in enumerate(ctx.available) if o.earns == goal.achievement)
        label = goal.label or goal.achievement
        return Node("leaf", meeters=meeters, ident=goal.achievement, label=label)
    if isinstance(goal, CreditsOf):
        return _credits(goal, ctx)
    unmet = [n for n in (_compile(c, ctx) for c in goal.children) if n is not None]
    if isinstance(goal, AllOf):
        return Node("all", children=unmet) if unmet else None
    k = goal.k - (len(goal.children) - len(unmet))
    return Node("atleast", children=unmet, k=k) if k > 0 else None


def met(node: Node, chosen: set[int]) -> bool:
    if node.kind == "leaf":
        return not node.meeters.isdisjoint(chosen)
    if node.kind == "credits":
        return sum(w for i, w in node.weights.items() if i in chosen) >= node.need - CREDIT_SLACK
    hits = sum(met(c, chosen) for c in node.children)
    return hits == len(node.children) if node.kind == "all" else hits >= node.k


def deficit(node: Node, chosen: set[int]) -> float:
    """How far from met (0: met); every useful offering lowers it (the greedy's measure)."""
    if node.kind == "leaf":
        return 0.0 if not node.meeters.isdisjoint(chosen) else 1.0
    if node.kind == "credits":
        got = sum(w for i, w in node.weights.items() if i in chosen)
        return max(0.0, node.need - got) / node.need if got < node.need - CREDIT_SLACK else 0.0
    parts = sorted(deficit(c, chosen) for c in node.children)
    return sum(parts) if node.kind == "all" else sum(parts[: node.k])


def walk(node: Node) -> Iterable[Node]:
    yield node
    for child in node.children:
        yield from walk(child)


def _impossible(node: Node, everything: set[int], problem: Problem) -> None:
    """Report the leaves and pools under ``node`` that no available offering can meet."""
    for n in walk(node):
        if n.kind in ("leaf", "credits") and not met(n, everything):
            problem.uncovered.append(n.ident)
            problem.notes.append(_why_impossible(n))


def _why_impossible(node: Node) -> str:
    if node.kind == "credits":
        most = sum(node.weights.values())
        return f"{node.label}: the catalog offers at most {most:g} more qualifying ECTS"
    return f"{node.label}: no available offering in the catalog covers it"


def _relax(node: Node, everything: set[int], problem: Problem) -> Node | None:
    if met(node, everything):
        return node
    if node.kind in ("leaf", "credits"):
        _impossible(node, everything, problem)
        return None
    if node.kind == "all":
        kept = [r for r in (_relax(c, everything, problem) for c in node.children) if r]
        return Node("all", children=kept) if kept else None
    possible = [c for c in node.children if met(c, everything)]
    short = node.k - len(possible)
    problem.notes.append(
        f"{short} more of a choice of {len(node.children)} cannot be met from the catalog; "
        "the plan takes every option that can"
    )
    before = len(problem.uncovered)
    for child in node.children:
        if not met(child, everything):
            _impossible(child, everything, problem)
    if len(problem.uncovered) == before:  # more options asked for than the goal lists
        problem.uncovered.append(f"{node.k} of {len(node.children)} options")
    return Node("all", children=possible) if possible else None


def objective(offerings: list[Offering], cost_by: CostBy) -> list[float]:
    other_by = "price" if cost_by == "hours" else "hours"
    others = [float(getattr(o, other_by)) for o in offerings]
    scale = TIE_WEIGHT / max(1.0, sum(others))
    return [
        float(getattr(o, cost_by)) + scale * other
        for o, other in zip(offerings, others, strict=True)
    ]


def compile_problem(
    goal: Goal,
    catalog: list[Offering],
    *,
    held_skills: dict[str, int | None],
    earned: frozenset[str],
    completed: frozenset[str],
    cost_by: CostBy,
) -> Problem:
    _validate(catalog)
    done_keys = set(completed) | {
        o.key for o in catalog if o.earns is not None and o.earns in earned
    }
    done = [o for o in catalog if o.key in done_keys]
    held = dict(held_skills)
    for o in done:
        for skill, level in o.skills.items():
            held[skill] = _higher(held.get(skill), level) if skill in held else level
    all_earned = earned | {o.earns for o in done if o.earns is not None}
    available = _available(catalog, done_keys)
    ctx = _Context(available, held, frozenset(all_earned), done)
    index = {o.key: i for i, o in enumerate(available)}
    prereqs = [tuple(index[p] for p in o.prerequisites if p in index) for o in available]
    root = _compile(goal, ctx)
    problem = Problem(available, prereqs, objective(available, cost_by), root, root is None)
    if root is not None:
        problem.root = _relax(root, set(range(len(available))), problem)
    return problem


def closure(problem: Problem, start: int) -> set[int]:
    """``start`` and every prerequisite it still needs, transitively."""
    out, stack = {start}, [start]
    while stack:
        for p in problem.prereqs[stack.pop()]:
            if p not in out:
                out.add(p)
                stack.append(p)
    return out
