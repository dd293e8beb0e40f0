"""Plain-language explanation of one role skill for one candidate (``SkillMatch``).

``why`` names the strongest credential and what made it count or fall short: "SQL for
analysts (Acme Academy): level 5 (5 asked), issued 2 years ago". ``evidence`` lists every
valid credential proving the skill, strongest first, so an employer sees the proof.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from microcred.core.skills.matching import MATCHED_AT, Evidence, RoleSkill, SkillMatch
from microcred.core.skills.matching_engine import SECONDS_PER_YEAR, strength


def _level(e: Evidence, asked: int | None) -> str:
    if asked is None:
        return "" if e.level is None else f"level {e.level}"
    if e.level is None:
        return f"level not stated ({asked} asked)"
    if e.level >= asked:
        return f"level {e.level} ({asked} asked)"
    return f"level {e.level} of {asked} asked"


def _age(e: Evidence, now: datetime) -> str:
    years = (now - e.issued).total_seconds() / SECONDS_PER_YEAR
    if years >= 2:
        return f"issued {int(years)} years ago"
    months = int(years * 12)
    if months >= 1:
        return f"issued {months} month{'s' if months > 1 else ''} ago"
    return "issued this month"


def describe(e: Evidence, asked: int | None, now: datetime) -> str:
    parts = [p for p in (_level(e, asked), _age(e, now)) if p]
    if e.trust < 1.0:
        parts.append("issuer not in the trust registry")
    return f"{e.credential_name} ({e.issuer_name}): {', '.join(parts)}"


def explain_skill(rs: RoleSkill, evidence: tuple[Evidence, ...], now: datetime) -> SkillMatch:
    mine = [e for e in evidence if e.skill == rs.skill]
    valid = [e for e in mine if e.valid_until is None or e.valid_until > now]
    if not valid:
        why = "only expired credentials show it" if mine else "no valid credential shows it"
        return SkillMatch(rs.skill, rs.label, "missing", 0.0, why, ())
    rated = sorted(
        ((strength(e, rs.min_level, now), e) for e in valid),
        key=lambda pair: (not pair[0][1], -pair[0][0], pair[1].credential_key),
    )
    (m, matched), best = rated[0]
    score = max(r[0][0] for r in rated)
    status: Literal["matched", "partial"] = "matched" if matched else "partial"
    why = describe(best, rs.min_level, now)
    if not matched:
        why += "; " + _short(best, rs.min_level, m)
    return SkillMatch(rs.skill, rs.label, status, score, why, tuple(e for _, e in rated))


def _short(e: Evidence, asked: int | None, m: float) -> str:
    """Why the best credential does not count as a match."""
    if asked is not None and e.level is None:
        return "cannot show the level asked"
    if asked is not None and e.level is not None and e.level < asked:
        return "below the level asked"
    if e.trust < 1.0 and (e.trust <= 0 or m / e.trust >= MATCHED_AT):
        return "too little trust in the issuer"
    return "too old to count fully"
