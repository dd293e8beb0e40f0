"""The greedy planner (Chvatal's rule, generalised to goal trees) and redundancy pruning.

Each round takes the offering, together with the prerequisites it still needs, of least
cost per unit of progress, where progress is the drop in :func:`planning_model.deficit`
(a leaf counts 1, a credit pool its missing fraction, ``AtLeastOf k`` its k nearest
children). For a flat set of skills this is exactly Chvatal's ln(n)+1 approximation. Used
when the exact solver runs out of time, and after either solver, ``prune`` drops chosen
offerings the goal does not need (greedy picks can become redundant later).
"""

from __future__ import annotations

from microcred.core.skills.planning_model import Node, Problem, closure, deficit, met, walk


def _candidates(root: Node) -> list[int]:
    useful: set[int] = set()
    for node in walk(root):
        useful.update(node.meeters)
        useful.update(node.weights)
    return sorted(useful)


def _best(problem: Problem, root: Node, chosen: set[int], now: float) -> set[int] | None:
    """The cheapest progress per cost: an offering and its missing prerequisites."""
    best: tuple[float, float, str] | None = None
    pick: set[int] | None = None
    for i in _candidates(root):
        if i in chosen:
            continue
        extra = closure(problem, i) - chosen
        gain = now - deficit(root, chosen | extra)
        if gain <= 1e-12:
            continue
        cost = sum(problem.cost[j] for j in extra)
        rank = (cost / gain, -gain, problem.offerings[i].key)
        if best is None or rank < best:
            best, pick = rank, extra
    return pick


def solve_greedy(problem: Problem, root: Node) -> set[int]:
    chosen: set[int] = set()
    now = deficit(root, chosen)
    while now > 0:
        extra = _best(problem, root, chosen, now)
        if extra is None:  # cannot happen for a relaxed goal; stay correct regardless
            chosen |= set(_candidates(root))
            for i in list(chosen):
                chosen |= closure(problem, i)
            break
        chosen |= extra
        now = deficit(root, chosen)
    return prune(problem, root, chosen)


def prune(problem: Problem, root: Node, chosen: set[int]) -> set[int]:
    """Drop chosen offerings, dearest first, that neither the goal nor another pick needs."""
    chosen = set(chosen)
    changed = True
    while changed:
        changed = False
        needed = {p for i in chosen for p in problem.prereqs[i]}
        order = sorted(chosen, key=lambda i: (-problem.cost[i], problem.offerings[i].key))
        for i in order:
            if i not in needed and met(root, chosen - {i}):
                chosen.discard(i)
                changed = True
                break
    return chosen
