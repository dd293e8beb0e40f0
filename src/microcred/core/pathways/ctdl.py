"""A pathway as CTDL JSON-LD, for credential registries (Credential Engine's schema).

The stacked credential is a ``ceterms:MicroCredential`` whose ``ceterms:requires`` lists
``ceterms:ConditionProfile`` nodes, all of which must hold (a root ``All`` gives one
profile per child). CTDL has no nested "all of" inside a profile and no "k of n" count on
it, so the mapping is:

* achievement leaf -> ``ceterms:targetCredential`` (an ``ceterms:OpenBadge``); its
  equivalents -> ``ceterms:alternativeCondition`` (any one path fulfils the parent);
* skill leaf -> ``ceterms:targetCompetency`` (a ``ceterms:CredentialAlignmentObject``);
* ``CreditsAtLeast`` -> ``ceterms:creditValue`` (a ``ceterms:ValueProfile``: ``schema:value``
  and ``ceterms:creditUnitType`` ``creditUnit:DegreeCredit`` for ECTS, ``creditUnit:ClockHour``
  for hours); the credentials that may count -> ``ceterms:alternativeCondition``;
* ``AtLeast k`` -> ``ceterms:alternativeCondition`` (exact for k = 1) with the count in
  ``ceterms:condition``; a nested ``All`` -> its leaves' targets on one profile (CTDL reads
  several targets on a profile as all required), anything deeper in ``ceterms:condition``.

Every profile's ``ceterms:description`` states its whole subtree in words, so a reader
loses nothing where the structure cannot say it; minimum results and maximum ages are
``ceterms:condition`` lines. The pathway's own ``credits`` are not exported: CTDL has no
credit value on a credential (only on conditions, learning opportunities and assessments).
"""

from __future__ import annotations

import uuid
from typing import Any

from microcred.core.pathways.model import (
    Achievement,
    All,
    AtLeast,
    CreditsAtLeast,
    Pathway,
    Requirement,
    Skill,
)
from microcred.core.pathways.progress import leaf_text

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
LANG = "en"
CREDIT_UNITS = {
    "ECTS": ("creditUnit:DegreeCredit", "Degree Credit"),
    "hours": ("creditUnit:ClockHour", "Clock Hour"),
}
Json = dict[str, Any]


def to_ctdl(pathway: Pathway, *, owner_name: str, owner_id: str) -> Json:
    """The CTDL JSON-LD document of the pathway's stacked credential."""
    root = pathway.requirement
    parts = root.children if isinstance(root, All) else (root,)
    document: Json = {
        "@context": CONTEXT,
        "@type": "ceterms:MicroCredential",
        "ceterms:ctid": "ce-" + str(uuid.uuid5(uuid.NAMESPACE_URL, pathway.id)),
        "ceterms:name": {LANG: pathway.name},
        "ceterms:description": {LANG: pathway.description or describe(root)},
        "ceterms:inLanguage": [LANG],
        "ceterms:ownedBy": [
            {
                "@id": owner_id,
                "@type": "ceterms:CredentialOrganization",
                "ceterms:name": {LANG: owner_name},
            }
        ],
        "ceterms:credentialStatusType": _concept("credentialStat:Active", "Active"),
        "ceterms:requires": [condition(part) for part in parts],
    }
    if _is_iri(pathway.id):
        document["@id"] = pathway.id
    return document


def condition(req: Requirement) -> Json:
    """One ``ceterms:ConditionProfile`` for a requirement (see the module docstring)."""
    profile: Json = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {LANG: describe(req)},
    }
    if req.title:
        profile["ceterms:name"] = {LANG: req.title}
    lines: list[str] = []
    if isinstance(req, Achievement | Skill):
        _leaf(profile, req, lines)
    elif isinstance(req, CreditsAtLeast):
        profile["ceterms:creditValue"] = [_value(req.n, req.unit)]
        if req.unit == "ECTS":
            profile["ceterms:creditUnitTypeDescription"] = {LANG: "ECTS credits"}
        if req.children:
            lines.append("Credits count from any of the alternative conditions")
            profile["ceterms:alternativeCondition"] = [condition(leaf) for leaf in req.children]
    elif isinstance(req, AtLeast):
        lines.append(f"At least {req.k} of the {len(req.children)} alternative conditions")
        profile["ceterms:alternativeCondition"] = [condition(child) for child in req.children]
    else:
        _all(profile, req, lines)
    if lines:
        profile["ceterms:condition"] = {LANG: lines}
    return profile


def _leaf(profile: Json, req: Achievement | Skill, lines: list[str]) -> None:
    if isinstance(req, Skill):
        profile["ceterms:targetCompetency"] = [_competency(req.skill, req.title)]
    elif req.equivalents:
        lines.append("Any one of the alternative conditions (recognised equivalents)")
        profile["ceterms:alternativeCondition"] = [
            {"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": [_badge(aid, "")]}
            for aid in req.achievement_ids
        ]
    else:
        profile["ceterms:targetCredential"] = [_badge(req.achievement_id, req.title)]
    if req.min_result:
        lines.append(f"Minimum result: {req.min_result}")
    if req.max_age_months:
        lines.append(f"Earned within the last {req.max_age_months} months")


def _all(profile: Json, req: All, lines: list[str]) -> None:
    lines.append("All of the following")
    for child in req.children:
        plain = not (isinstance(child, Achievement) and (child.equivalents or child.min_result))
        if isinstance(child, Achievement) and plain and not child.max_age_months:
            profile.setdefault("ceterms:targetCredential", []).append(
                _badge(child.achievement_id, child.title)
            )
        elif isinstance(child, Skill) and not (child.min_result or child.max_age_months):
            profile.setdefault("ceterms:targetCompetency", []).append(
                _competency(child.skill, child.title)
            )
        else:
            lines.append(describe(child))


def describe(req: Requirement) -> str:
    """The requirement and everything below it in one sentence."""
    if isinstance(req, Achievement | Skill):
        return leaf_text(req)
    if isinstance(req, CreditsAtLeast):
        pool = "; ".join(leaf_text(leaf) for leaf in req.children) if req.children else ""
        return f"at least {req.n:g} {req.unit}" + (f" from: {pool}" if pool else "")
    inner = "; ".join(describe(child) for child in req.children)
    head = "all of" if isinstance(req, All) else f"at least {req.k} of"
    return f"{head}: ({inner})"


def _badge(achievement_id: str, title: str) -> Json:
    badge: Json = {"@type": "ceterms:OpenBadge", "ceterms:name": {LANG: title or achievement_id}}
    if _is_iri(achievement_id):
        badge["@id"] = achievement_id
    return badge


def _competency(skill: str, title: str) -> Json:
    aligned: Json = {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:targetNodeName": {LANG: title or skill},
    }
    if _is_iri(skill):
        aligned["ceterms:targetNode"] = skill
    return aligned


def _value(amount: float, unit: str) -> Json:
    concept, label = CREDIT_UNITS[unit]
    return {
        "@type": "ceterms:ValueProfile",
        "schema:value": amount,
        "ceterms:creditUnitType": [_concept(concept, label)],
    }


def _concept(node: str, label: str) -> Json:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:targetNode": node,
        "ceterms:targetNodeName": {LANG: label},
    }


def _is_iri(text: str) -> bool:
    return "://" in text or text.startswith(("urn:", "did:"))
