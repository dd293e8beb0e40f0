"""How ``matching.rank`` works: index, score cheaply, then explain only the ranked few.

Scoring 100,000 candidates must stay interactive, so the first pass keeps numbers only
(best strength per role skill, matched flags, the latest issue date); the plain-language
explanations (``SkillMatch.why``) are written for the candidates that are returned.
The rules and constants are in ``matching``'s module docstring.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from datetime import datetime

from microcred.core.skills.matching import (
    HALF_LIFE_YEARS,
    MATCHED_AT,
    UNKNOWN_LEVEL_FIT,
    Candidate,
    Evidence,
    Match,
    RoleSkill,
)

SECONDS_PER_YEAR = 365.25 * 24 * 3600


@dataclass
class _Scored:
    index: int
    score: float
    missing: int
    latest: float  # seconds since the epoch of the most recent counted evidence

    def order(self, key: str) -> tuple[float, int, float, str]:
        # rounded so that sums computed in another order still tie
        return (-round(self.score, 9), self.missing, -self.latest, key)


def level_fit(level: int | None, asked: int | None) -> float:
    if asked is None:
        return 1.0
    if level is None:
        return UNKNOWN_LEVEL_FIT
    return min(1.0, level / asked)


def strength(e: Evidence, asked: int | None, now: datetime) -> tuple[float, bool]:
    """(level_fit * freshness * trust, whether it counts as matched)."""
    years = max(0.0, (now - e.issued).total_seconds() / SECONDS_PER_YEAR)
    fit = level_fit(e.level, asked)
    m = fit * 0.5 ** (years / HALF_LIFE_YEARS) * e.trust
    return m, fit >= 1.0 and m >= MATCHED_AT


def _valid(e: Evidence, now: datetime) -> bool:
    return e.valid_until is None or e.valid_until > now


def _validate(role: list[RoleSkill]) -> None:
    for rs in role:
        if not math.isfinite(rs.weight) or rs.weight < 0:
            raise ValueError(f"role skill {rs.skill!r}: weight must be a number >= 0")
        if rs.min_level is not None and rs.min_level < 1:
            raise ValueError(f"role skill {rs.skill!r}: min_level must be at least 1")


def _to_score(role: list[RoleSkill], candidates: list[Candidate]) -> list[int]:
    """Candidates with evidence for every must-have, or without must-haves for any skill."""
    wanted = {rs.skill for rs in role}
    holders: dict[str, set[int]] = {skill: set() for skill in wanted}
    for i, candidate in enumerate(candidates):
        for e in candidate.evidence:
            if e.skill in holders:
                holders[e.skill].add(i)
    must = sorted({rs.skill for rs in role if rs.must_have}, key=lambda s: len(holders[s]))
    if must:
        found = set(holders[must[0]])
        for skill in must[1:]:
            found &= holders[skill]
    else:
        found = set().union(*holders.values())
    return sorted(found)


def _score(
    role: list[RoleSkill],
    positions: dict[str, list[int]],
    candidate: Candidate,
    index: int,
    now: datetime,
) -> _Scored | None:
    """None when a must-have is not matched."""
    best = [0.0] * len(role)
    matched = [False] * len(role)
    seen = [False] * len(role)
    latest = -math.inf
    for e in candidate.evidence:
        if e.skill not in positions or not _valid(e, now):
            continue
        latest = max(latest, e.issued.timestamp())
        for p in positions[e.skill]:
            m, ok = strength(e, role[p].min_level, now)
            best[p], matched[p], seen[p] = max(best[p], m), matched[p] or ok, True
    if any(rs.must_have and not matched[p] for p, rs in enumerate(role)):
        return None
    total = sum(rs.weight for rs in role)
    score = sum(rs.weight * m for rs, m in zip(role, best, strict=True)) / total if total else 0.0
    return _Scored(index, score, seen.count(False), latest)


def _positions(role: list[RoleSkill]) -> dict[str, list[int]]:
    """skill URI -> its places in the role (a skill may be listed twice, at two levels)."""
    out: dict[str, list[int]] = {}
    for p, rs in enumerate(role):
        out.setdefault(rs.skill, []).append(p)
    return out


def rank_candidates(
    role: list[RoleSkill], candidates: list[Candidate], *, now: datetime, limit: int | None
) -> list[Match]:
    _validate(role)
    if not role or limit == 0:
        return []
    positions = _positions(role)
    scored = [
        s
        for i in _to_score(role, candidates)
        if (s := _score(role, positions, candidates[i], i, now)) is not None
    ]

    def order(s: _Scored) -> tuple[float, int, float, str]:
        return s.order(candidates[s.index].key)

    top = sorted(scored, key=order) if limit is None else heapq.nsmallest(limit, scored, key=order)
    return [_explain(role, candidates[s.index], s.score, now) for s in top]


def _explain(role: list[RoleSkill], candidate: Candidate, score: float, now: datetime) -> Match:
    from microcred.core.skills.matching_explain import explain_skill

    skills = tuple(explain_skill(rs, candidate.evidence, now) for rs in role)
    return Match(candidate=candidate, score=score, skills=skills)
