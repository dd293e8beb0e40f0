"""Evaluating a pathway for one learner: which credentials go where.

Rules (docs/pathways.md): only credentials whose standing is ``valid`` count; imported
ones also need an issuer the pathway accepts; each leaf's minimum result and maximum age
apply; a credential is used at most once per pathway.

The assignment of credentials to units maximises, in this order, the root's fraction,
the number of met nodes and the sum of all nodes' fractions. It is an exact branch and
bound search over the credentials that matter (in a canonical order, so the answer does
not depend on the order they arrived in), pruned by an optimistic bound; because the
optimum over a larger set of credentials can only be higher, adding a credential never
lowers progress. A step budget bounds pathological inputs (the best found so far is kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from microcred.core.pathways.grades import meets_minimum, months_before
from microcred.core.pathways.mentions import MentionIndex
from microcred.core.pathways.model import Pathway
from microcred.core.pathways.plan import LeafReq, Plan, compile_pathway, normalize_skill
from microcred.core.pathways.progress import Assignment, Progress, Score, milli, score

Standing = Literal["valid", "expired", "suspended", "revoked", "unverified"]
SEARCH_BUDGET = 20_000  # branch-and-bound steps per evaluation


@dataclass(frozen=True)
class Earned:
    """One credential a learner holds, as the engine sees it."""

    credential_id: str
    achievement_id: str
    issuer_id: str
    skills: frozenset[str]
    credits_ects: float | None
    hours: float | None
    result: str | None
    issued: datetime
    standing: Standing
    imported: bool
    digest: str = ""  # sha256 of the signed credential, for references

    def credits(self, unit: str) -> float:
        value = self.credits_ects if unit == "ECTS" else self.hours
        return value if value is not None and value > 0 else 0.0


def counts(plan: Plan, earned: Earned) -> bool:
    """Expired, suspended, revoked and unverified credentials never count."""
    if earned.standing != "valid":
        return False
    accepted = plan.accepted_issuers
    return not earned.imported or accepted is None or earned.issuer_id in accepted


def _leaf_accepts(leaf: LeafReq, earned: Earned, now: datetime) -> bool:
    if not meets_minimum(earned.result, leaf.min_result):
        return False
    return leaf.max_age_months is None or earned.issued >= months_before(now, leaf.max_age_months)


def options(plan: Plan, earned: Earned, now: datetime) -> tuple[int, ...]:
    """The units this credential can fill, in the pathway's order (empty: irrelevant)."""
    found: set[int] = set()
    candidates = list(plan.by_achievement.get(earned.achievement_id, ()))
    for skill in earned.skills:
        candidates.extend(plan.by_skill.get(normalize_skill(skill), ()))
    for unit, leaf in candidates:
        if unit not in found and _leaf_accepts(leaf, earned, now):
            found.add(unit)
    found.update(plan.any_units)
    units = plan.units
    return tuple(
        u for u in sorted(found) if not units[u].pool or earned.credits(units[u].credit_unit) > 0
    )


def _canonical(earned: Iterable[Earned]) -> list[Earned]:
    """Sorted by id (then content), one per credential id: the arrival order cannot matter."""
    ordered = sorted(
        earned,
        key=lambda e: (e.credential_id, e.digest, e.achievement_id, e.issuer_id, e.issued),
    )
    unique: dict[str, Earned] = {}
    for item in ordered:
        unique.setdefault(item.credential_id, item)
    return list(unique.values())


def evaluate(pathway: Pathway, earned: Iterable[Earned], *, now: datetime) -> Progress:
    """The learner's progress on ``pathway`` with these credentials, at ``now``."""
    return _evaluate(compile_pathway(pathway), _canonical(earned), now)


def evaluate_learner(
    pathways: Sequence[Pathway],
    earned: Iterable[Earned],
    *,
    now: datetime,
    index: MentionIndex | None = None,
) -> dict[str, Progress]:
    """Progress on each pathway the learner's credentials touch (by ``index``, built from
    ``pathways`` when not given); pathways left out have no progress to show."""
    wallet = _canonical(earned)
    index = index or MentionIndex(pathways)
    touched: set[str] = set()
    for item in wallet:
        touched |= index.pathways_for(item.achievement_id, item.skills)
    return {p.id: _evaluate(compile_pathway(p), wallet, now) for p in pathways if p.id in touched}


def _evaluate(plan: Plan, wallet: list[Earned], now: datetime) -> Progress:
    relevant: list[tuple[Earned, tuple[int, ...]]] = []
    for item in wallet:
        if counts(plan, item):
            units = options(plan, item, now)
            if units:
                relevant.append((item, units))
    return Progress(plan, _search(plan, relevant))


def _search(plan: Plan, relevant: list[tuple[Earned, tuple[int, ...]]]) -> Assignment:
    """The best assignment (see the module docstring) by depth-first branch and bound."""
    # A credential that can only go to one credit pool always goes there (more credits never
    # score lower; _trim_pools drops what a met pool does not need): no branching on it.
    fixed = [
        (e, units[0]) for e, units in relevant if len(units) == 1 and plan.units[units[0]].pool
    ]
    branching = [
        (e, units) for e, units in relevant if not (len(units) == 1 and plan.units[units[0]].pool)
    ]
    slots = [units[0] for _, units in branching if len(units) == 1]
    if len(slots) == len(branching) and len(set(slots)) == len(slots):
        # No credential has a choice and none competes for a leaf: nothing to search.
        return _trim_pools(plan, fixed + [(e, units[0]) for e, units in branching])
    search = _Search(plan, branching)
    for item, unit in fixed:
        search.credits[unit] += milli(item.credits(plan.units[unit].credit_unit))
    search.visit(0)
    placed = [(branching[i][0], unit) for i, unit in enumerate(search.best_choice)]
    return _trim_pools(plan, fixed + placed)


class _Search:
    def __init__(self, plan: Plan, relevant: list[tuple[Earned, tuple[int, ...]]]) -> None:
        self.plan, self.relevant, self.n = plan, relevant, len(relevant)
        self.pool = [unit.pool for unit in plan.units]
        self.chosen = [-1] * self.n
        self.filled = [0] * len(plan.units)
        self.credits = [0] * len(plan.units)
        self.weight = [
            {u: milli(item.credits(plan.units[u].credit_unit)) for u in units if self.pool[u]}
            for item, units in relevant
        ]
        self.best: Score | None = None
        self.best_choice: tuple[int, ...] = tuple(self.chosen)
        self.steps = 0

    def put(self, i: int, unit: int, sign: int) -> None:
        if self.pool[unit]:
            self.credits[unit] += sign * self.weight[i][unit]
        else:
            self.filled[unit] += sign

    def bound(self, start: int) -> Score:
        """Every remaining credential everywhere at once: no completion can score higher."""
        for i in range(start, self.n):
            for unit in self.relevant[i][1]:
                self.put(i, unit, +1)
        optimistic = score(self.plan, self.filled, self.credits)
        for i in range(start, self.n):
            for unit in self.relevant[i][1]:
                self.put(i, unit, -1)
        return optimistic

    def visit(self, i: int) -> None:
        self.steps += 1
        if self.best is not None and (self.steps > SEARCH_BUDGET or self.bound(i) <= self.best):
            return
        if i == self.n:  # only reached when strictly better than the best so far
            self.best = score(self.plan, self.filled, self.credits)
            self.best_choice = tuple(self.chosen)
            return
        for unit in self.relevant[i][1]:
            if not self.pool[unit] and self.filled[unit]:
                continue  # a leaf holds one credential; a second one is wasted here
            self.chosen[i] = unit
            self.put(i, unit, +1)
            self.visit(i + 1)
            self.put(i, unit, -1)
        self.chosen[i] = -1
        self.visit(i + 1)


def _trim_pools(plan: Plan, placed: list[tuple[Earned, int]]) -> Assignment:
    """Drop credentials a met pool does not need (largest credits first, then by id)."""
    result: list[tuple[Earned, int]] = []
    by_pool: dict[int, list[Earned]] = {}
    for item, unit in placed:
        if unit >= 0 and plan.units[unit].pool:
            by_pool.setdefault(unit, []).append(item)
        elif unit >= 0:
            result.append((item, unit))
    for unit, items in by_pool.items():
        spec, need = plan.units[unit], milli(plan.units[unit].n)
        if sum(milli(item.credits(spec.credit_unit)) for item in items) >= need:
            items.sort(key=lambda e: (-e.credits(spec.credit_unit), e.credential_id))
            kept, total = [], 0
            for item in items:
                if total >= need:
                    break
                kept.append(item)
                total += milli(item.credits(spec.credit_unit))
            items = kept
        result.extend((item, unit) for item in items)
    result.sort(key=lambda pair: pair[0].credential_id)
    return tuple(result)
