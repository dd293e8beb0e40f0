"""Candidate matching: rank consenting learners' verified credentials against a role.

Per role skill s with weight w_s, a candidate's strength is
``m_s = max over their evidence e for s of level_fit(e) * freshness(e) * trust(e)``:

- ``level_fit = min(1, held / asked)``; a skill asked without a level fits fully; a
  credential that states no level, for a skill asked at a level, fits ``UNKNOWN_LEVEL_FIT``;
- ``freshness = 0.5 ** (age in years / HALF_LIFE_YEARS)``: skills fade, a credential
  half as convincing after five years (one half-life for every kind of skill: the
  taxonomies do not say which skills age fast);
- ``trust`` as the caller computed it (1.0 this platform or a trusted registry issuer).

Evidence whose ``valid_until`` has passed at ``now`` is ignored (the caller drops revoked
and suspended credentials). A skill is **matched** when some evidence is at the level asked
and ``m_e >= MATCHED_AT`` (a fully trusted credential at the level asked stays matched for
about 6.6 years, one from an issuer the registry does not know (trust 0.5) for about 1.6
years); **partial** when there is valid evidence but none is matched (level too low, not
stated, too old, weak issuer); **missing** otherwise. Must-haves are filters: a candidate
with a must-have not matched is not ranked. Score = ``sum w_s m_s / sum w_s``.

Order: score (best first), fewer missing skills, more recent evidence, then the
candidate key, so equal candidates always come out in the same order. Only candidates
with evidence for every must-have (or, without must-haves, for some role skill) are
scored, found through a skill -> candidates index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

#: level_fit of a credential that states no level, for a skill asked at a level
UNKNOWN_LEVEL_FIT = 0.7
#: years after which a credential counts half
HALF_LIFE_YEARS = 5.0
#: least strength (level_fit * freshness * trust), at the level asked, to count as matched
MATCHED_AT = 0.4


@dataclass(frozen=True)
class RoleSkill:
    skill: str  # URI
    label: str
    must_have: bool
    #: importance 0..1 (must-haves usually 1.0)
    weight: float = 1.0
    #: 1-8 (EQF-like); None: any level
    min_level: int | None = None


@dataclass(frozen=True)
class Evidence:
    """One verified, unexpired, unrevoked credential of a candidate asserting one skill."""

    skill: str  # URI
    credential_key: str
    credential_name: str
    issuer_name: str
    issued: datetime
    valid_until: datetime | None
    level: int | None
    #: 1.0 a verified issuer in the trust registry or on this platform; lower otherwise
    trust: float


@dataclass(frozen=True)
class Candidate:
    key: str
    display_name: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class SkillMatch:
    skill: str
    label: str
    status: Literal["matched", "partial", "missing"]
    score: float  # 0..1
    why: str  # "level 4 of 5 asked", "issued 6 years ago", ...
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: float  # 0..1
    skills: tuple[SkillMatch, ...]  # in the role's order


def rank(
    role: list[RoleSkill], candidates: list[Candidate], *, now: datetime, limit: int | None = None
) -> list[Match]:
    """Must-haves filter; the rest is scored and sorted best first (see the module note)."""
    from microcred.core.skills.matching_engine import rank_candidates

    return rank_candidates(role, candidates, now=now, limit=limit)
