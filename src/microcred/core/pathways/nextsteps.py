"""What would fill each gap, cheapest first.

The cost of completing a node is (credentials, credits) still needed: a missing leaf costs
one credential; a credit pool one credential and the credits it lacks (at least one more
credential); ``All`` the sum of its unmet children; ``AtLeast k`` the sum of its cheapest
``k - met`` unmet children. The walk visits children cheapest first; every unmet leaf or
pool becomes a step, and the steps on the cheapest way to complete the pathway come first
(``in_cheapest_plan``), the alternatives after them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microcred.core.pathways.model import Achievement, AtLeast, CreditsAtLeast, Skill
from microcred.core.pathways.plan import Node
from microcred.core.pathways.progress import MILLI, NextStep, leaf_text, milli

if TYPE_CHECKING:
    from microcred.core.pathways.progress import Progress

Cost = tuple[float, int]  # credentials, credits in thousandths
IMPOSSIBLE: Cost = (float("inf"), 0)


def next_steps(progress: Progress) -> list[NextStep]:
    if progress.complete:
        return []
    costs = _costs(progress)
    steps: list[NextStep] = []
    _walk(progress, progress.plan.nodes[0], costs, True, steps)
    return sorted(steps, key=lambda step: not step.in_cheapest_plan)  # stable: keeps the walk


def _costs(progress: Progress) -> list[Cost]:
    plan, mets = progress.plan, progress.mets
    costs: list[Cost] = [(0, 0)] * len(plan.nodes)
    for node in reversed(plan.nodes):
        if mets[node.index]:
            continue
        if node.kind == "leaf":
            costs[node.index] = (1, 0)
        elif node.kind == "creditsAtLeast":
            left = milli(plan.units[node.unit].n) - progress.credit_sums[node.unit]
            costs[node.index] = (1, left)
        else:
            chosen = _chosen(progress, node, costs)
            if chosen is None:
                costs[node.index] = IMPOSSIBLE
            else:
                picks = [costs[c] for c in chosen]
                costs[node.index] = (sum(c[0] for c in picks), sum(c[1] for c in picks))
    return costs


def _chosen(progress: Progress, node: Node, costs: list[Cost]) -> list[int] | None:
    """The unmet children on the cheapest way to meet ``node`` (None: it cannot be met)."""
    unmet = sorted((c for c in node.children if not progress.mets[c]), key=lambda c: costs[c])
    if isinstance(node.requirement, AtLeast):
        need = max(1, node.requirement.k) - (len(node.children) - len(unmet))
        return unmet[:need] if need <= len(unmet) else None
    return unmet


def _walk(
    progress: Progress, node: Node, costs: list[Cost], cheap: bool, out: list[NextStep]
) -> None:
    if progress.mets[node.index]:
        return
    req = node.requirement
    if isinstance(req, Achievement | Skill):
        out.append(_leaf_step(node.path, req, cheap))
        return
    if isinstance(req, CreditsAtLeast):
        left = (milli(req.n) - progress.credit_sums[node.unit]) / MILLI
        what = (
            " from: " + "; ".join(leaf_text(leaf) for leaf in req.children) if req.children else ""
        )
        text = f"{left:g} more {req.unit}{what}"
        out.append(NextStep(node.path, text, credits=left, unit=req.unit, in_cheapest_plan=cheap))
        return
    chosen = set(_chosen(progress, node, costs) or ())
    for child in sorted(node.children, key=lambda c: costs[c]):
        _walk(progress, progress.plan.nodes[child], costs, cheap and child in chosen, out)


def _leaf_step(path: str, req: Achievement | Skill, cheap: bool) -> NextStep:
    text = leaf_text(req)
    if isinstance(req, Achievement):
        return NextStep(path, text, achievement_ids=req.achievement_ids, in_cheapest_plan=cheap)
    return NextStep(path, text, skill=req.skill, in_cheapest_plan=cheap)
