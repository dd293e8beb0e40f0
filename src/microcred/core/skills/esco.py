"""Read an ESCO release (the European Commission's CSV download, English) from a folder.

What is read, in this order (every file is optional unless said otherwise):

- ``skills_en.csv`` (the full skills pillar of the official package) and every
  ``*SkillsCollection_en.csv`` (digital, DigComp, transversal, green, language...): skills
  with their URIs, labels, alternative labels, descriptions and types. A skill listed in
  several files keeps the first reading (``skills_en.csv`` first, then the collections in name
  order).
- ``skillGroups_en.csv``: the upper levels of the skills pillar, stored as skills of type
  ``"skill group"`` so that the hierarchy has somewhere to point.
- ``skillsHierarchy_en.csv`` and ``broaderRelationsSkillPillar_en.csv``: the broader concept of
  each skill and group. A skill with several broader concepts (the collections list them
  ``" | "``-separated) keeps the first that is a skills-pillar concept (``.../esco/skill/``),
  else the first listed (an ISCED-F knowledge field).
- ``occupations_en.csv`` (**required**): occupations with labels, alternative labels and
  descriptions.
- The occupation-skill relations (**one of the two is required**):
  ``occupationSkillRelations_en.csv`` (URI pairs, the official package) when present, else
  ``occupation_skill_profiles.json`` (a third party's join of the same table that names skills
  by preferred label). A label is matched case-insensitively to a known skill's preferred
  label, then to an alternative label (never to a skill group's); a label that matches
  nothing gets a stable URN ``urn:microcred:esco-label:<slug>`` (see :func:`label_urn`) and
  becomes a skill with that label, so re-imports find the same skill and a later import of
  the full package can sit beside it.

Importance: essential 1.0, optional 0.3; ESCO gives no level.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from microcred.core.errors import InputError
from microcred.core.skills.taxonomy import (
    ESSENTIAL_IMPORTANCE,
    OPTIONAL_IMPORTANCE,
    Relation,
    SkillRequirement,
    Taxonomy,
    TaxonomyOccupation,
    TaxonomySkill,
    read_csv,
    row_error,
    split_labels,
)

SCHEME = "esco"
ESCO_PREFIX = "http://data.europa.eu/esco/"
LABEL_URN_PREFIX = "urn:microcred:esco-label:"
IMPORTANCE: dict[str, float] = {"essential": ESSENTIAL_IMPORTANCE, "optional": OPTIONAL_IMPORTANCE}

SKILLS_FILE = "skills_en.csv"
GROUPS_FILE = "skillGroups_en.csv"
HIERARCHY_FILE = "skillsHierarchy_en.csv"
BROADER_FILE = "broaderRelationsSkillPillar_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
RELATIONS_FILE = "occupationSkillRelations_en.csv"
PROFILES_FILE = "occupation_skill_profiles.json"


def read_esco(folder: Path, release: str | None = None) -> Taxonomy:
    """Every skill, skill group and occupation of the ESCO release in ``folder``."""
    if not folder.is_dir():
        raise InputError("not a folder (expected an ESCO CSV download)", where=str(folder))
    skills = _read_skills(folder)
    occupations = _read_occupations(folder)
    if (folder / RELATIONS_FILE).is_file():
        _relations_from_csv(folder / RELATIONS_FILE, skills, occupations)
    elif (folder / PROFILES_FILE).is_file():
        _relations_from_profiles(folder / PROFILES_FILE, skills, occupations)
    else:
        raise InputError(f"needs {RELATIONS_FILE} or {PROFILES_FILE}", where=str(folder))
    return Taxonomy(
        scheme=SCHEME,
        release=release or _release_from_name(folder),
        skills=tuple(skills.values()),
        occupations=tuple(_finish(occupation) for occupation in occupations.values()),
    )


def code_of(uri: str) -> str:
    """The scheme-unique code of an ESCO URI: its path (``skill/<uuid>``, ``isced-f/0613``)."""
    return uri[len(ESCO_PREFIX) :] if uri.startswith(ESCO_PREFIX) else uri


def label_urn(label: str) -> str:
    """The stable URN of a skill known only by its label. Labels made of lower-case letters,
    digits and single spaces map one-to-one onto their slug; any other label gets a short
    digest of its lower-cased text too, so two labels never share a URN."""
    text = label.strip().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if text.replace(" ", "-") != slug or not slug:
        slug = f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:8]}".lstrip("-")
    return LABEL_URN_PREFIX + slug


def _release_from_name(folder: Path) -> str:
    match = re.search(r"(\d+(?:\.\d+)+)", folder.resolve().name)
    return f"ESCO {match.group(1)}" if match else "ESCO"


# -- skills ------------------------------------------------------------------------------


def _read_skills(folder: Path) -> dict[str, TaxonomySkill]:
    sources = [folder / SKILLS_FILE] if (folder / SKILLS_FILE).is_file() else []
    sources += sorted(folder.glob("*SkillsCollection_en.csv"))
    broader = _broader_map(folder)
    skills: dict[str, TaxonomySkill] = {}
    for path in sources:
        for skill in _skill_rows(path, broader, "", ("conceptUri", "preferredLabel")):
            skills.setdefault(skill.uri, skill)
    if (folder / GROUPS_FILE).is_file():
        required = ("conceptUri", "preferredLabel")
        for group in _skill_rows(folder / GROUPS_FILE, broader, "skill group", required):
            skills.setdefault(group.uri, group)
    return skills


def _skill_rows(
    path: Path, broader: dict[str, str], kind: str, required: tuple[str, ...]
) -> Iterator[TaxonomySkill]:
    for line, row in read_csv(path, required):
        uri, label = row["conceptUri"].strip(), row["preferredLabel"].strip()
        if not uri.startswith(("http://", "https://")) or not label:
            raise row_error(path, line, "a concept needs a conceptUri and a preferredLabel")
        yield TaxonomySkill(
            uri=uri,
            scheme=SCHEME,
            code=code_of(uri),
            label=label,
            alt_labels=split_labels(row.get("altLabels", "")),
            description=row.get("description", "").strip(),
            skill_type=kind or row.get("skillType", "").strip(),
            broader_uri=_first_broader(row.get("broaderConceptUri", "")) or broader.get(uri, ""),
        )


def _first_broader(cell: str) -> str:
    uris = [uri.strip() for uri in cell.split("|") if uri.strip()]
    pillar = [uri for uri in uris if uri.startswith(ESCO_PREFIX + "skill/")]
    return (pillar or uris or [""])[0]


def _broader_map(folder: Path) -> dict[str, str]:
    """concept URI -> broader URI, from the hierarchy table and the pillar's broader relations."""
    broader: dict[str, str] = {}
    if (folder / HIERARCHY_FILE).is_file():
        columns = [f"Level {n} URI" for n in range(4)]
        for _line, row in read_csv(folder / HIERARCHY_FILE, columns):
            path = [row[column].strip() for column in columns if row[column].strip()]
            for upper, lower in pairwise(path):
                broader.setdefault(lower, upper)
    if (folder / BROADER_FILE).is_file():
        for _line, row in read_csv(folder / BROADER_FILE, ("conceptUri", "broaderUri")):
            if row["broaderUri"].strip():
                broader.setdefault(row["conceptUri"].strip(), row["broaderUri"].strip())
    return broader


# -- occupations and relations -------------------------------------------------------------

#: occupation URI -> (the occupation without skills, skill URI -> requirement)
_Draft = tuple[TaxonomyOccupation, dict[str, SkillRequirement]]


def _read_occupations(folder: Path) -> dict[str, _Draft]:
    path = folder / OCCUPATIONS_FILE
    occupations: dict[str, _Draft] = {}
    for line, row in read_csv(path, ("conceptUri", "preferredLabel")):
        uri, label = row["conceptUri"].strip(), row["preferredLabel"].strip()
        if not uri.startswith(("http://", "https://")) or not label:
            raise row_error(path, line, "an occupation needs a conceptUri and a preferredLabel")
        occupation = TaxonomyOccupation(
            uri=uri,
            scheme=SCHEME,
            code=code_of(uri),
            label=label,
            alt_labels=split_labels(row.get("altLabels", "")),
            description=row.get("description", "").strip(),
        )
        occupations.setdefault(uri, (occupation, {}))
    return occupations


def _require(relation: str, skill_uri: str) -> SkillRequirement:
    kind: Relation = "essential" if relation == "essential" else "optional"
    return SkillRequirement(skill_uri, kind, IMPORTANCE[kind])


def _add(requirements: dict[str, SkillRequirement], requirement: SkillRequirement) -> None:
    """A skill listed twice for one occupation keeps the stronger relation."""
    known = requirements.get(requirement.skill_uri)
    if known is None or requirement.importance > known.importance:
        requirements[requirement.skill_uri] = requirement


def _relations_from_csv(
    path: Path, skills: dict[str, TaxonomySkill], occupations: dict[str, _Draft]
) -> None:
    for line, row in read_csv(path, ("occupationUri", "relationType", "skillUri")):
        occupation_uri, skill_uri = row["occupationUri"].strip(), row["skillUri"].strip()
        relation = row["relationType"].strip().lower()
        if relation not in IMPORTANCE:
            raise row_error(path, line, f"relationType {relation!r}: essential or optional")
        if occupation_uri not in occupations:
            raise row_error(path, line, f"unknown occupation {occupation_uri}")
        if skill_uri not in skills:
            label = row.get("skillLabel", "").strip()
            if not label:
                raise row_error(path, line, f"unknown skill {skill_uri} (not in {SKILLS_FILE})")
            skills[skill_uri] = TaxonomySkill(
                skill_uri, SCHEME, code_of(skill_uri), label, skill_type=row.get("skillType", "")
            )
        _add(occupations[occupation_uri][1], _require(relation, skill_uri))


def _label_index(skills: dict[str, TaxonomySkill]) -> dict[str, str]:
    """lower-cased label -> URI: preferred labels first, then alternative labels. Skill groups
    are left out: ESCO relates occupations to skills only, and a group can share a skill's
    label (the ISCED-F field "statistics" and the knowledge "statistics")."""
    index: dict[str, str] = {}
    plain = [skill for skill in skills.values() if skill.skill_type != "skill group"]
    for skill in plain:
        index.setdefault(skill.label.lower(), skill.uri)
    for skill in plain:
        for alt in skill.alt_labels:
            index.setdefault(alt.lower(), skill.uri)
    return index


def _relations_from_profiles(
    path: Path, skills: dict[str, TaxonomySkill], occupations: dict[str, _Draft]
) -> None:
    index = _label_index(skills)
    for number, profile in enumerate(_load_profiles(path)):
        where = f"{path}: [{number}]"
        occupation_uri = profile.get("occupation_uri")
        if occupation_uri not in occupations:
            raise InputError(f"unknown occupation_uri {occupation_uri!r}", where=where)
        for relation in ("essential", "optional"):
            labels = profile.get(f"{relation}_skills", [])
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise InputError(f"{relation}_skills must be a list of labels", where=where)
            for label in labels:
                uri = _resolve(label.strip(), index, skills)
                _add(occupations[occupation_uri][1], _require(relation, uri))


def _load_profiles(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not JSON: {exc}", where=str(path)) from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputError("expected a JSON array of occupation profiles", where=str(path))
    return data


def _resolve(label: str, index: dict[str, str], skills: dict[str, TaxonomySkill]) -> str:
    uri = index.get(label.lower())
    if uri is None:
        uri = label_urn(label)
        skills[uri] = TaxonomySkill(uri, SCHEME, uri[len("urn:microcred:") :], label)
        index[label.lower()] = uri
    return uri


def _finish(draft: _Draft) -> TaxonomyOccupation:
    occupation, requirements = draft
    ordered = tuple(sorted(requirements.values(), key=lambda r: (r.relation, r.skill_uri)))
    return replace(occupation, skills=ordered)
