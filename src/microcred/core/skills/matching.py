"""Candidate matching: rank consenting learners' verified credentials against a role.

INTERFACE (fixed; the implementation is being written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal


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
    """Must-haves filter; the rest is scored and sorted best first."""
    raise NotImplementedError
