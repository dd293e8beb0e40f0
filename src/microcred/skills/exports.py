"""Offerings as the core's catalog entries, for the CTDL export.

Reads only (selectors' rows in, plain values out); the mappings live in
``microcred.core.skills``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from microcred.core.skills.ctdl_catalog import CatalogEntry, TaughtSkill, catalog_to_ctdl
from microcred.core.skills.ctdl_catalog import offering_to_ctdl as _offering_to_ctdl
from microcred.credentials import achievements
from microcred.skills import selectors
from microcred.skills.models import Offering, Skill


def page_url(offering: Offering) -> str:
    base = str(settings.MICROCRED_BASE_URL).rstrip("/")
    return base + reverse("skills:offering", args=[offering.provider.slug, offering.slug])


def framework_name(skill: Skill) -> str:
    """The taxonomy a skill comes from, as alignments and CTDL name it."""
    if skill.scheme == "custom":
        return f"microcred {skill.release} taxonomy" if skill.release else "custom taxonomy"
    return skill.get_scheme_display()


def entry_of(offering: Offering) -> CatalogEntry:
    credential = None
    if offering.definition is not None:
        credential = (achievements.achievement_id(offering.definition), offering.definition.name)
    skills = tuple(
        TaughtSkill(row.skill.uri, row.skill.label, framework_name(row.skill), row.level)
        for row in offering.skills.all()
    )
    return CatalogEntry(
        id=page_url(offering),
        title=offering.title,
        description=offering.description,
        provider_id=offering.provider.did,
        provider_name=offering.provider.name,
        hours=offering.hours,
        price=offering.price,
        currency=offering.currency,
        mode=offering.mode,
        language=offering.language,
        ects=offering.ects,
        level=offering.level,
        start_date=offering.start_date,
        end_date=offering.end_date,
        url=offering.url,
        skills=skills,
        credential=credential,
        prerequisites=tuple((page_url(p), p.title) for p in offering.prerequisites.all()),
    )


def offering_ctdl(offering: Offering) -> dict[str, Any]:
    return _offering_to_ctdl(entry_of(offering))


def catalog_ctdl() -> dict[str, Any]:
    return catalog_to_ctdl([entry_of(row) for row in selectors.all_published()])
