"""What an evaluation returns: the progress tree, the credentials used and what is next.

Fractions: a leaf is 0 or 1; a credit pool is credits counted / credits needed (capped
at 1); ``All`` is the mean of its children; ``AtLeast k`` the sum of its k best children / k.
A node is met when its rule holds (then its fraction is exactly 1). The tree, the list of
used credentials and the next steps are built on first access: re-evaluating many
learners usually only needs ``complete`` and ``fraction``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from microcred.core.pathways.model import Achievement, AtLeast, CreditsAtLeast, Requirement, Skill
from microcred.core.pathways.plan import Node, Plan

if TYPE_CHECKING:
    from microcred.core.pathways.engine import Earned

Assignment = tuple[tuple["Earned", int], ...]  # (credential, unit), by credential id
Score = tuple[float, int, float]  # root fraction, met nodes, sum of fractions
MILLI = 1000  # credits are summed in thousandths, as integers: exact and order-free


def milli(value: float) -> int:
    return round(value * MILLI)


def node_values(
    plan: Plan, filled: list[int], credits: list[int]
) -> tuple[list[float], list[bool]]:
    """Each node's fraction and met flag, children before parents (pre-order reversed)."""
    count = len(plan.nodes)
    fraction, met = [0.0] * count, [False] * count
    for node in reversed(plan.nodes):
        i, kids = node.index, node.children
        if node.kind == "leaf":
            met[i] = filled[node.unit] > 0
            fraction[i] = 1.0 if met[i] else 0.0
        elif node.kind == "creditsAtLeast":
            need = milli(plan.units[node.unit].n)
            met[i] = credits[node.unit] >= need
            fraction[i] = 1.0 if met[i] else credits[node.unit] / need
        elif node.kind == "all":
            met[i] = all(met[c] for c in kids)
            fraction[i] = 1.0 if met[i] else sum(fraction[c] for c in kids) / len(kids)
        else:
            k = max(1, _k(node))
            met[i] = sum(met[c] for c in kids) >= k
            best = sorted((fraction[c] for c in kids), reverse=True)[:k]
            fraction[i] = 1.0 if met[i] else sum(best) / k
    return fraction, met


def _k(node: Node) -> int:
    assert isinstance(node.requirement, AtLeast)
    return node.requirement.k


def score(plan: Plan, filled: list[int], credits: list[int]) -> Score:
    fraction, met = node_values(plan, filled, credits)
    return fraction[0], sum(met), sum(fraction)


@dataclass(frozen=True)
class NodeProgress:
    requirement: Requirement
    path: str  # "requirement.children[1]", as in parse errors
    met: bool
    fraction: float
    used: tuple[str, ...]  # credential ids, this node and below
    missing: str  # plain text; "" when met
    children: tuple[NodeProgress, ...] = ()
    credits: float | None = None  # pools: credits counted

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "type": self.requirement.type,
            "title": self.requirement.title,
            "met": self.met,
            "fraction": self.fraction,
            "used": list(self.used),
            "missing": self.missing,
            "credits": self.credits,
            "children": [child.to_json() for child in self.children],
        }


@dataclass(frozen=True)
class NextStep:
    """One gap and what fills it: an achievement (or its equivalents), a skill, or credits."""

    path: str
    text: str
    achievement_ids: tuple[str, ...] = ()
    skill: str | None = None
    credits: float | None = None  # still needed, for credit pools
    unit: str | None = None
    in_cheapest_plan: bool = True  # part of the cheapest way to complete the pathway

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "text": self.text,
            "achievementIds": list(self.achievement_ids),
            "skill": self.skill,
            "credits": self.credits,
            "unit": self.unit,
            "inCheapestPlan": self.in_cheapest_plan,
        }


class Progress:
    """A learner's progress on one pathway."""

    def __init__(self, plan: Plan, assignment: Assignment) -> None:
        self.plan = plan
        self.assignment = assignment
        self.filled = [0] * len(plan.units)
        self.credit_sums = [0] * len(plan.units)
        for item, unit in assignment:
            spec = plan.units[unit]
            if spec.pool:
                self.credit_sums[unit] += milli(item.credits(spec.credit_unit))
            else:
                self.filled[unit] += 1
        self.fractions, self.mets = node_values(plan, self.filled, self.credit_sums)
        self.pathway_id = plan.pathway.id
        self.complete = self.mets[0]
        self.fraction = self.fractions[0]

    def __repr__(self) -> str:
        return f"<Progress {self.pathway_id} {self.fraction:.0%} complete={self.complete}>"

    @cached_property
    def used(self) -> list[Earned]:
        return [item for item, _ in self.assignment]

    @cached_property
    def met_paths(self) -> frozenset[str]:
        return frozenset(node.path for node in self.plan.nodes if self.mets[node.index])

    @cached_property
    def root(self) -> NodeProgress:
        by_unit: dict[int, list[str]] = {}
        for item, unit in self.assignment:
            by_unit.setdefault(unit, []).append(item.credential_id)
        return self._node(self.plan.nodes[0], by_unit)

    def _node(self, node: Node, by_unit: dict[int, list[str]]) -> NodeProgress:
        children = tuple(self._node(self.plan.nodes[c], by_unit) for c in node.children)
        used = tuple(by_unit.get(node.unit, ())) if node.unit >= 0 else ()
        used += tuple(cid for child in children for cid in child.used)
        credits = self.credit_sums[node.unit] / MILLI if node.kind == "creditsAtLeast" else None
        met = self.mets[node.index]
        return NodeProgress(
            node.requirement, node.path, met, self.fractions[node.index], used,
            "" if met else self._missing(node), children, credits,
        )  # fmt: skip

    def _missing(self, node: Node) -> str:
        req = node.requirement
        if isinstance(req, Achievement | Skill):
            return leaf_text(req)
        if isinstance(req, CreditsAtLeast):
            return f"{self._credits_left(node):g} more {req.unit}"
        met = sum(self.mets[c] for c in node.children)
        if isinstance(req, AtLeast):
            return f"{max(1, req.k) - met} more of these {len(node.children)}"
        return f"{len(node.children) - met} of {len(node.children)} parts still missing"

    def _credits_left(self, node: Node) -> float:
        spec = self.plan.units[node.unit]
        return max(0, milli(spec.n) - self.credit_sums[node.unit]) / MILLI

    @cached_property
    def next_steps(self) -> list[NextStep]:
        from microcred.core.pathways.nextsteps import next_steps

        return next_steps(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "pathwayId": self.pathway_id,
            "complete": self.complete,
            "fraction": self.fraction,
            "used": [item.credential_id for item in self.used],
            "root": self.root.to_json(),
            "nextSteps": [step.to_json() for step in self.next_steps],
        }


def leaf_text(req: Achievement | Skill) -> str:
    """A leaf in words: what credential fills it."""
    if isinstance(req, Achievement):
        name = req.title or req.achievement_id
        text = f"a credential for {name}"
        if req.equivalents:
            text += f" (or an equivalent: {', '.join(req.equivalents)})"
    else:
        text = f"a credential aligned to the skill {req.title or req.skill}"
    if req.min_result:
        text += f" with a result of at least {req.min_result}"
    if req.max_age_months:
        text += f", earned in the last {req.max_age_months} months"
    return text
