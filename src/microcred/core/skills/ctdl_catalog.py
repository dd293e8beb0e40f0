"""Catalog offerings as CTDL JSON-LD (``ceterms:LearningOpportunityProfile``), for
credential registries. Framework-free: the platform turns its rows into
:class:`CatalogEntry` values and calls :func:`offering_to_ctdl` / :func:`catalog_to_ctdl`.

Mapping (every property is in the class's domain in the vendored CTDL schema; a test checks):

* hours -> ``ceterms:estimatedDuration`` (a ``ceterms:DurationProfile`` whose
  ``ceterms:exactDuration`` is ISO 8601, ``PT40H``); the dates are stated in its description
  (CTDL has no start/end date on a learning opportunity, only on offers and costs);
* price -> ``ceterms:estimatedCost`` (a ``ceterms:CostProfile``: ``ceterms:price``,
  ``ceterms:currency``, ``ceterms:directCostType`` ``costType:Tuition``, and the course's
  dates as ``ceterms:startDate``/``endDate`` of that price);
* mode -> ``ceterms:deliveryType``: online ``deliveryType:OnlineOnly``, blended
  ``deliveryType:BlendedDelivery``, on site ``deliveryType:InPerson``;
* skills -> ``ceterms:teaches`` (``ceterms:CredentialAlignmentObject`` with the skill URI as
  ``ceterms:targetNode`` and its taxonomy as ``ceterms:frameworkName``);
* ECTS -> ``ceterms:creditValue`` (``ceterms:ValueProfile``, ``creditUnit:DegreeCredit``) and
  ``ceterms:creditUnitTypeDescription`` "ECTS";
* the credential earned -> ``ceterms:isRequiredFor`` (a ``ceterms:ConditionProfile`` whose
  ``ceterms:targetCredential`` is the ``ceterms:OpenBadge``): completing it is what earning
  the credential requires;
* prerequisites -> ``ceterms:requires`` (one ``ceterms:ConditionProfile`` listing every
  prerequisite as ``ceterms:targetLearningOpportunity``: all are required).

The EQF level has no CTDL concept scheme: it is appended to the ``ceterms:description``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from microcred.core.pathways.ctdl import CONTEXT, LANG, _badge, _concept, _value

Json = dict[str, Any]
DELIVERY = {
    "online": ("deliveryType:OnlineOnly", "Online Only"),
    "blended": ("deliveryType:BlendedDelivery", "Blended Delivery"),
    "onsite": ("deliveryType:InPerson", "In Person"),
}


@dataclass(frozen=True)
class TaughtSkill:
    uri: str
    label: str
    framework: str  # "ESCO", "O*NET", the custom taxonomy's name
    level: int | None = None


@dataclass(frozen=True)
class CatalogEntry:
    """One offering, as the export needs it (``id`` is its public page's URL)."""

    id: str
    title: str
    description: str
    provider_id: str
    provider_name: str
    hours: Decimal
    price: Decimal
    currency: str
    mode: str
    language: str
    ects: Decimal | None = None
    level: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    url: str = ""
    skills: tuple[TaughtSkill, ...] = ()
    #: (achievement id, name) of the credential earned
    credential: tuple[str, str] | None = None
    #: (page URL, title) of each prerequisite offering
    prerequisites: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def ctid(entry_id: str) -> str:
    """A stable CTID from the offering's URL (the same offering always gets the same one)."""
    return "ce-" + str(uuid.uuid5(uuid.NAMESPACE_URL, entry_id))


def iso_hours(hours: Decimal) -> str:
    """``PT40H``; fractions as minutes (``PT1H30M``), as ISO 8601 durations allow."""
    minutes = int((hours * 60).to_integral_value())
    whole, rest = divmod(minutes, 60)
    return f"PT{whole}H" + (f"{rest}M" if rest else "")


def _dates(entry: CatalogEntry) -> str:
    if entry.start_date and entry.end_date:
        return f" from {entry.start_date.isoformat()} to {entry.end_date.isoformat()}"
    if entry.start_date:
        return f" starting {entry.start_date.isoformat()}"
    return ""


def _duration(entry: CatalogEntry) -> Json:
    return {
        "@type": "ceterms:DurationProfile",
        "ceterms:exactDuration": iso_hours(entry.hours),
        "ceterms:description": {LANG: f"{entry.hours.normalize():f} hours of study{_dates(entry)}"},
    }


def _cost(entry: CatalogEntry) -> Json:
    cost: Json = {
        "@type": "ceterms:CostProfile",
        "ceterms:description": {LANG: "Tuition"},
        "ceterms:directCostType": [_concept("costType:Tuition", "Tuition")],
        "ceterms:price": float(entry.price),
        "ceterms:currency": entry.currency,
    }
    if entry.start_date:
        cost["ceterms:startDate"] = entry.start_date.isoformat()
    if entry.end_date:
        cost["ceterms:endDate"] = entry.end_date.isoformat()
    return cost


def _teaches(skill: TaughtSkill) -> Json:
    node = _concept(skill.uri, skill.label)
    node["ceterms:frameworkName"] = {LANG: skill.framework}
    return node


def _organisation(entry: CatalogEntry) -> list[Json]:
    return [
        {
            "@id": entry.provider_id,
            "@type": "ceterms:CredentialOrganization",
            "ceterms:name": {LANG: entry.provider_name},
        }
    ]


def offering_to_ctdl(entry: CatalogEntry, *, context: bool = True) -> Json:
    """One offering as a ``ceterms:LearningOpportunityProfile`` node."""
    text = entry.description or entry.title
    if entry.level is not None:
        text += f" (EQF level {entry.level})"
    node: Json = {
        "@id": entry.id,
        "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:ctid": ctid(entry.id),
        "ceterms:name": {LANG: entry.title},
        "ceterms:description": {LANG: text},
        "ceterms:subjectWebpage": entry.url or entry.id,
        "ceterms:ownedBy": _organisation(entry),
        "ceterms:offeredBy": _organisation(entry),
        "ceterms:inLanguage": [entry.language],
        "ceterms:deliveryType": [_concept(*DELIVERY[entry.mode])],
        "ceterms:estimatedDuration": [_duration(entry)],
        "ceterms:estimatedCost": [_cost(entry)],
    }
    if entry.skills:
        node["ceterms:teaches"] = [_teaches(skill) for skill in entry.skills]
    if entry.ects is not None:
        node["ceterms:creditValue"] = [_value(float(entry.ects), "ECTS")]
        node["ceterms:creditUnitTypeDescription"] = {LANG: "ECTS"}
    if entry.credential is not None:
        achievement, name = entry.credential
        node["ceterms:isRequiredFor"] = [
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:description": {LANG: f"Completing it earns the micro-credential {name}"},
                "ceterms:targetCredential": [_badge(achievement, name)],
            }
        ]
    if entry.prerequisites:
        node["ceterms:requires"] = [_requires(entry)]
    return {"@context": CONTEXT, **node} if context else node


def _requires(entry: CatalogEntry) -> Json:
    return {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {LANG: "Complete all of these first"},
        "ceterms:targetLearningOpportunity": [
            {
                "@id": url,
                "@type": "ceterms:LearningOpportunityProfile",
                "ceterms:name": {LANG: title},
            }
            for url, title in entry.prerequisites
        ],
    }


def catalog_to_ctdl(entries: list[CatalogEntry]) -> Json:
    """The whole catalog as one JSON-LD graph (the Credential Registry's bulk shape)."""
    return {
        "@context": CONTEXT,
        "@graph": [offering_to_ctdl(entry, context=False) for entry in entries],
    }
