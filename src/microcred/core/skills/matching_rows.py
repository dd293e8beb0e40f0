"""``matching.rank``'s scoring on plain rows, vectorised, for callers that hold many.

A database caller reading the index for 100,000 learners would spend most of its time
building ``Evidence`` objects only to throw nearly all of them away. Here the same rules
(``matching``'s module note, ``matching_engine.strength``) run on numpy arrays built from
plain tuples, and give each candidate the engine's sort key. The caller then builds
``Candidate`` objects for the few it shows and lets ``matching.rank`` explain them; a test
checks that both orders agree.

Every row given is taken as valid evidence (unexpired, unrevoked): the caller filters
expiry in its query, so ``valid_until`` is not needed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np

from microcred.core.skills.matching import HALF_LIFE_YEARS, MATCHED_AT, UNKNOWN_LEVEL_FIT, RoleSkill
from microcred.core.skills.matching_engine import SECONDS_PER_YEAR

#: (owner, skill URI, issued as seconds since the epoch, level or None, trust)
Row = tuple[int, str, float, int | None, float]
#: the engine's order: (-score rounded, missing skills, -latest issue, str(owner))
Key = tuple[float, int, float, str]


def score_rows(role: list[RoleSkill], rows: Iterable[Row], *, now: datetime) -> dict[int, Key]:
    """owner -> sort key, for the owners ``matching.rank`` would rank (must-haves matched)."""
    places: dict[str, list[int]] = {}
    for p, rs in enumerate(role):
        places.setdefault(rs.skill, []).append(p)
    owners, where, issued, levels, trusts, first = [], [], [], [], [], []
    for owner, uri, when, level, trust in rows:
        for n, p in enumerate(places.get(uri, ())):
            owners.append(owner)
            where.append(p)
            issued.append(when)
            levels.append(np.nan if level is None else level)
            trusts.append(trust)
            first.append(n == 0)  # "latest" counts each row once, however often it is asked
    if not owners:
        return {}
    return _keys(role, np.array(owners), np.array(where), np.array(issued, dtype=float),
                 np.array(levels, dtype=float), np.array(trusts, dtype=float),
                 np.array(first), now)  # fmt: skip


def _strength(
    role: list[RoleSkill], where: np.ndarray, issued: np.ndarray, levels: np.ndarray,
    trusts: np.ndarray, now: datetime,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per row: level_fit * freshness * trust, and whether it counts as matched."""
    asked = np.array([np.nan if rs.min_level is None else rs.min_level for rs in role])[where]
    fit = np.where(np.isnan(levels), UNKNOWN_LEVEL_FIT, np.minimum(1.0, levels / asked))
    fit = np.where(np.isnan(asked), 1.0, fit)
    years = np.maximum(0.0, (now.timestamp() - issued) / SECONDS_PER_YEAR)
    m = fit * 0.5 ** (years / HALF_LIFE_YEARS) * trusts
    return m, (fit >= 1.0) & (m >= MATCHED_AT)


def _keys(
    role: list[RoleSkill], owners: np.ndarray, where: np.ndarray, issued: np.ndarray,
    levels: np.ndarray, trusts: np.ndarray, first: np.ndarray, now: datetime,
) -> dict[int, Key]:  # fmt: skip
    ids, who = np.unique(owners, return_inverse=True)
    m, ok = _strength(role, where, issued, levels, trusts, now)
    best = np.zeros((len(ids), len(role)))
    np.maximum.at(best, (who, where), m)
    matched = np.zeros((len(ids), len(role)), dtype=bool)
    np.logical_or.at(matched, (who, where), ok)
    seen = np.zeros((len(ids), len(role)), dtype=bool)
    seen[who, where] = True
    latest = np.full(len(ids), -np.inf)
    np.maximum.at(latest, who[first], issued[first])
    weights = np.array([rs.weight for rs in role], dtype=float)
    total = weights.sum()
    scores = best @ weights / total if total else np.zeros(len(ids))
    must = np.array([rs.must_have for rs in role])
    keep = np.all(matched[:, must], axis=1) if must.any() else np.ones(len(ids), dtype=bool)
    missing = len(role) - seen.sum(axis=1)
    return {
        int(owner): (-round(float(score), 9), int(gap), -float(last), str(int(owner)))
        for owner, score, gap, last in zip(
            ids[keep], scores[keep], missing[keep], latest[keep], strict=True
        )
    }
