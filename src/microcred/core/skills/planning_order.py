"""Putting a chosen set of offerings in a feasible order, and saying why each is there.

Kahn's topological sort on the prerequisites among the chosen offerings; among the ones
ready to take, the one covering most goal needs per unit of cost goes first (then the
catalog key, so the order is stable).
"""

from __future__ import annotations

import heapq

from microcred.core.skills.planning import Step
from microcred.core.skills.planning_model import Node, Problem, walk


def _priority(problem: Problem, leaves: list[Node], i: int) -> tuple[float, str]:
    hits = sum(1 for leaf in leaves if i in leaf.meeters)
    cost = problem.cost[i]
    per_cost = hits / cost if cost > 0 else (float("inf") if hits else 0.0)
    return (-per_cost, problem.offerings[i].key)


def topological(problem: Problem, root: Node | None, chosen: set[int]) -> list[int]:
    leaves = [n for n in walk(root) if n.kind == "leaf"] if root else []
    waiting = {i: sum(1 for p in problem.prereqs[i] if p in chosen) for i in chosen}
    unlocks: dict[int, list[int]] = {i: [] for i in chosen}
    for i in chosen:
        for p in problem.prereqs[i]:
            if p in chosen:
                unlocks[p].append(i)
    ready = [(_priority(problem, leaves, i), i) for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        for j in unlocks[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, (_priority(problem, leaves, j), j))
    return order  # complete: available offerings have no prerequisite cycles


def _reason(
    problem: Problem, root: Node | None, i: int, covered: list[str], chosen: set[int]
) -> str:
    parts = []
    if covered:
        parts.append("covers " + ", ".join(covered))
    for node in walk(root) if root else ():
        if node.kind == "credits" and i in node.weights:
            ects = node.weights[i]
            parts.append(f"counts {ects:g} ECTS towards {node.label}")
    needed_by = sorted(problem.offerings[j].title for j in chosen if i in problem.prereqs[j])
    if needed_by:
        parts.append("prerequisite of " + ", ".join(needed_by))
    return "; ".join(parts)


def explain(problem: Problem, root: Node | None, chosen: set[int]) -> tuple[Step, ...]:
    """The steps in order; each step covers the needs no earlier step covered."""
    leaves = [n for n in walk(root) if n.kind == "leaf"] if root else []
    done: set[int] = set()  # ids of leaves already covered
    steps = []
    for i in topological(problem, root, chosen):
        first = [n for n in leaves if id(n) not in done and i in n.meeters]
        done.update(id(n) for n in first)
        idents = tuple(dict.fromkeys(n.ident for n in first))
        labels = list(dict.fromkeys(n.label for n in first))
        reason = _reason(problem, root, i, labels, chosen)
        steps.append(Step(problem.offerings[i], idents, reason))
    return tuple(steps)
