"""Checks beyond the file's shape: rules that can never be met or name unknown things.

Pathways cannot reference other pathways (a stacked credential is required through its
achievement id like any other), so there are no cycles to find.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from microcred.core.errors import InputError
from microcred.core.pathways.grades import is_grade
from microcred.core.pathways.model import (
    Achievement,
    All,
    AtLeast,
    CreditsAtLeast,
    Pathway,
    Requirement,
    Skill,
)

# achievement id -> {"ECTS": 5, "hours": 125}: what one credential for it is worth
CreditTable = Mapping[str, Mapping[str, float]]


def walk(req: Requirement, path: str = "requirement") -> Iterator[tuple[str, Requirement]]:
    """Every node with its path, pre-order (credit pools' leaves included)."""
    yield path, req
    children = req.children if isinstance(req, All | AtLeast | CreditsAtLeast) else None
    for i, child in enumerate(children or ()):
        yield from walk(child, f"{path}.children[{i}]")


def validate_pathway(
    pathway: Pathway,
    *,
    known_achievements: set[str] | None = None,
    achievement_credits: CreditTable | None = None,
) -> list[InputError]:
    """Every problem found, each naming its place; an empty list means the pathway is usable."""
    problems: list[InputError] = []
    seen_ids: dict[str, str] = {}
    for path, req in walk(pathway.requirement):
        if req.id is not None:
            if req.id in seen_ids:
                problems.append(
                    InputError(f"id {req.id!r} is also used at {seen_ids[req.id]}", where=path)
                )
            seen_ids.setdefault(req.id, path)
        problems.extend(_check_node(path, req, known_achievements, achievement_credits))
    return problems


def _check_node(
    path: str, req: Requirement, known: set[str] | None, credits: CreditTable | None
) -> Iterator[InputError]:
    if isinstance(req, AtLeast):
        if req.k < 1:
            yield InputError(f"k must be at least 1, not {req.k}", where=f"{path}.k")
        elif req.k > len(req.children):
            yield InputError(
                f"at least {req.k} of {len(req.children)} children can never be met",
                where=f"{path}.k",
            )
    if isinstance(req, Achievement):
        yield from _check_achievement(path, req, known)
    if isinstance(req, Achievement | Skill) and req.min_result and not is_grade(req.min_result):
        yield InputError(
            f"minimum result {req.min_result!r} is not a number, a letter grade or"
            " pass/merit/distinction: only that exact text will meet it",
            where=f"{path}.minResult",
        )
    if isinstance(req, CreditsAtLeast) and credits is not None:
        reachable = _max_credits(req, credits)
        if reachable is not None and reachable < req.n:
            yield InputError(
                f"{req.n:g} {req.unit} can never be reached: the credentials that count"
                f" are worth at most {reachable:g} {req.unit}",
                where=f"{path}.n",
            )


def _check_achievement(path: str, req: Achievement, known: set[str] | None) -> Iterator[InputError]:
    if req.achievement_id in req.equivalents:
        yield InputError(
            "an achievement is listed as its own equivalent", where=f"{path}.equivalents"
        )
    if known is None:
        return
    if req.achievement_id not in known:
        yield InputError(
            f"unknown achievement {req.achievement_id!r}", where=f"{path}.achievementId"
        )
    for i, other in enumerate(req.equivalents):
        if other not in known:
            yield InputError(f"unknown achievement {other!r}", where=f"{path}.equivalents[{i}]")


def _max_credits(req: CreditsAtLeast, credits: CreditTable) -> float | None:
    """The most the pool can ever count, when every leaf is an achievement of known worth."""
    if req.children is None or any(isinstance(leaf, Skill) for leaf in req.children):
        return None  # any credential, or any aligned to a skill: no upper bound is known
    worth: dict[str, float] = {}
    for leaf in req.children:
        assert isinstance(leaf, Achievement)
        for achievement_id in leaf.achievement_ids:
            if achievement_id not in credits:
                return None
            worth[achievement_id] = credits[achievement_id].get(req.unit, 0.0)
    return sum(worth.values())
