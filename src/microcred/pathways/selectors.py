"""Reads of the pathways app: pathways by provider and slug, what the validator may treat as
known, which pathways a credential can affect, and a learner's progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from microcred.core.pathways import Mentions, Pathway, mentions, parse_pathway, to_ctdl
from microcred.credentials import achievements
from microcred.credentials.models import MicroCredentialDefinition
from microcred.pathways.models import PathwayAward, PathwayDefinition, PathwayProgress
from microcred.providers.models import Provider

Status = PathwayDefinition.Status


def pathways_of(provider: Provider) -> QuerySet[PathwayDefinition]:
    """Every version of every pathway of ``provider``, newest version first per slug."""
    return PathwayDefinition.objects.filter(provider=provider).order_by("slug", "-version")


def latest_pathway(provider: Provider, slug: str) -> PathwayDefinition:
    found = pathways_of(provider).filter(slug=slug).first()
    if found is None:
        raise Http404("no such pathway")
    return found


def published() -> QuerySet[PathwayDefinition]:
    return PathwayDefinition.objects.filter(status=Status.PUBLISHED).select_related(
        "provider", "award_definition__provider", "published_by"
    )


def published_pathway(provider_slug: str, slug: str) -> PathwayDefinition:
    found = published().filter(provider__slug=provider_slug, slug=slug).first()
    if found is None:
        raise Http404("no such pathway")
    return found


def ctdl_of(row: PathwayDefinition) -> dict[str, Any]:
    """A published pathway as CTDL JSON-LD, for credential registries (Credential Engine)."""
    return to_ctdl(core_pathway(row), owner_name=row.provider.name, owner_id=row.provider.did)


def _platform_ids() -> set[str]:
    rows = MicroCredentialDefinition.objects.exclude(status="draft").select_related("provider")
    return {achievements.achievement_id(row) for row in rows}


def known_achievements(pathway: Pathway) -> set[str]:
    """Achievement ids the validator may take as existing: this platform's published ones,
    and every id that is not this platform's (an external issuer's achievements cannot be
    listed here; an imported credential proves them). A mistyped local id is still caught."""
    base = str(settings.MICROCRED_BASE_URL).rstrip("/") + "/"
    external = {key for key in mentions(pathway).achievement_ids if not key.startswith(base)}
    return _platform_ids() | external


@lru_cache(maxsize=512)
def _parsed(pk: int, updated: str, text: str) -> Pathway:
    return parse_pathway(text)


def core_pathway(row: PathwayDefinition) -> Pathway:
    """The engine's pathway of a stored row (parsed once per version and change)."""
    return _parsed(row.pk, row.updated_at.isoformat(), row.source)


def stored_mentions(row: PathwayDefinition) -> Mentions:
    found = row.mentions or {}
    return Mentions(
        frozenset(found.get("achievements", ())),
        frozenset(found.get("skills", ())),
        bool(found.get("any", False)),
    )


def mentioning(
    achievement_id: str,
    skills: Iterable[str],
    among: Iterable[PathwayDefinition] | None = None,
) -> list[PathwayDefinition]:
    """Published pathways (or those ``among`` them) whose requirement tree mentions the
    achievement or one of the skills: the only ones a change to a credential can move."""
    skills = list(skills)
    rows = published() if among is None else among
    return [row for row in rows if stored_mentions(row).touches(achievement_id, skills)]


def credit_table() -> dict[str, dict[str, float]]:
    """What one credential of each of this platform's achievements is worth (the validator
    finds credit pools that can never be filled from it)."""
    table = {}
    rows = MicroCredentialDefinition.objects.exclude(status="draft").select_related("provider")
    for row in rows:
        eu = row.eu_elements or {}
        worth = {}
        if eu.get("credit_points") and eu.get("credit_system", "ECTS") == "ECTS":
            worth["ECTS"] = float(eu["credit_points"])
        if eu.get("notional_workload_hours"):
            worth["hours"] = float(eu["notional_workload_hours"])
        if worth:
            table[achievements.achievement_id(row)] = worth
    return table


@dataclass(frozen=True)
class LearnerPathway:
    """One line of a learner's pathway list."""

    pathway: PathwayDefinition
    progress: PathwayProgress | None
    award: PathwayAward | None

    @property
    def percent(self) -> int:
        return round(100 * (self.progress.fraction if self.progress else 0.0))


def pathways_of_learner(user: Any) -> list[LearnerPathway]:
    """Every published pathway, with the learner's progress (started ones first)."""
    progress = {p.pathway_id: p for p in PathwayProgress.objects.filter(learner=user)}
    awards = {a.pathway_id: a for a in awards_of(user)}
    rows = [LearnerPathway(row, progress.get(row.pk), awards.get(row.pk)) for row in published()]
    return sorted(rows, key=lambda item: (-item.percent, item.pathway.name))


def awards_of(user: Any) -> QuerySet[PathwayAward]:
    return PathwayAward.objects.filter(learner=user).select_related("credential", "pathway")


def award_for(user: Any, row: PathwayDefinition) -> PathwayAward | None:
    """The learner's award for any version of the pathway (a pathway is awarded once)."""
    return (
        awards_of(user).filter(pathway__provider_id=row.provider_id, pathway__slug=row.slug).first()
    )


def progress_of(user: Any, row: PathwayDefinition) -> PathwayProgress | None:
    return PathwayProgress.objects.filter(learner=user, pathway=row).first()
