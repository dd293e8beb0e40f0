"""What a pathway depends on, so that one award re-evaluates only the pathways it touches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from microcred.core.pathways.model import Pathway
from microcred.core.pathways.plan import compile_pathway, normalize_skill


@dataclass(frozen=True)
class Mentions:
    """Achievement ids (equivalents included) and skills (normalized) a pathway depends on.

    ``any_credential`` is true when a credit pool without children accepts any credential:
    then every award can change the pathway's progress.
    """

    achievement_ids: frozenset[str]
    skills: frozenset[str]
    any_credential: bool = False

    def __iter__(self) -> Iterator[str]:
        """The keys to store: achievement ids and normalized skills, sorted."""
        return iter(sorted(self.achievement_ids | self.skills))

    def __contains__(self, key: object) -> bool:
        return key in self.achievement_ids or key in self.skills

    def touches(self, achievement_id: str, skills: Iterable[str] = ()) -> bool:
        """Whether a credential for ``achievement_id`` aligned to ``skills`` can matter."""
        if self.any_credential or achievement_id in self.achievement_ids:
            return True
        return any(normalize_skill(skill) in self.skills for skill in skills)


def mentions(pathway: Pathway) -> Mentions:
    plan = compile_pathway(pathway)
    return Mentions(frozenset(plan.by_achievement), frozenset(plan.by_skill), bool(plan.any_units))


class MentionIndex:
    """Which pathways mention an achievement or skill: a dict lookup per award."""

    def __init__(self, pathways: Iterable[Pathway] = ()) -> None:
        self._by_achievement: dict[str, set[str]] = {}
        self._by_skill: dict[str, set[str]] = {}
        self._any: set[str] = set()
        for pathway in pathways:
            self.add(pathway)

    def add(self, pathway: Pathway) -> None:
        found = mentions(pathway)
        for achievement_id in found.achievement_ids:
            self._by_achievement.setdefault(achievement_id, set()).add(pathway.id)
        for skill in found.skills:
            self._by_skill.setdefault(skill, set()).add(pathway.id)
        if found.any_credential:
            self._any.add(pathway.id)

    def pathways_for(self, achievement_id: str, skills: Iterable[str] = ()) -> set[str]:
        """Ids of the pathways whose progress a credential like this can change."""
        hit = set(self._any) | self._by_achievement.get(achievement_id, set())
        for skill in skills:
            hit |= self._by_skill.get(normalize_skill(skill), set())
        return hit
