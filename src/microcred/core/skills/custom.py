"""A small taxonomy written by hand, as YAML (scheme ``custom``).

.. code-block:: yaml

    taxonomy: demo                    # lower-case letters, digits, hyphens: names URIs and codes
    release: demo                     # optional (default: the taxonomy name)
    uri_prefix: urn:microcred:demo    # optional (default: urn:microcred:<taxonomy>)
    skills:
      - slug: sql
        label: SQL querying
        alt_labels: [SQL]             # optional, like description, type, broader, uri
        description: Write SQL queries...
        type: skill
        broader: data-skills          # a slug of this file or a full URI
    occupations:
      - slug: data-analyst
        label: data analyst
        essential: {sql: 5, statistics: 5}   # skill -> level 1-8 (or null)
        optional: [python-programming]       # or a list of skills without levels

A skill's URI is ``<uri_prefix>:skill:<slug>`` and an occupation's
``<uri_prefix>:occupation:<slug>`` unless it gives its own ``uri``; its code (unique among
custom skills) is ``<taxonomy>:<slug>``. Skills named in ``essential``/``optional`` are slugs of
this file or full URIs of skills imported before (an ESCO skill, say). Importance: essential
1.0, optional 0.3, as for ESCO. Unknown keys are errors, so that a typo is not silently lost.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from microcred.core.errors import InputError
from microcred.core.skills.taxonomy import (
    ESSENTIAL_IMPORTANCE,
    MAX_LEVEL,
    MIN_LEVEL,
    OPTIONAL_IMPORTANCE,
    Relation,
    SkillRequirement,
    Taxonomy,
    TaxonomyOccupation,
    TaxonomySkill,
)

SCHEME = "custom"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
TOP_KEYS = {"taxonomy", "release", "uri_prefix", "licence", "skills", "occupations"}
SKILL_KEYS = {"slug", "label", "alt_labels", "description", "type", "broader", "uri"}
OCCUPATION_KEYS = {"slug", "label", "alt_labels", "description", "essential", "optional", "uri"}
IMPORTANCE: dict[Relation, float] = {
    "essential": ESSENTIAL_IMPORTANCE,
    "optional": OPTIONAL_IMPORTANCE,
}


def read_custom(path: Path) -> Taxonomy:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory (expected a YAML file)", where=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", where=str(path)) from None
    return parse_custom(text, where=str(path))


def parse_custom(text: str, where: str = "taxonomy") -> Taxonomy:
    """The taxonomy in ``text``; an :class:`InputError` names the file and the bad entry."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"{where}:{mark.line + 1}" if mark is not None else where
        raise InputError(f"not YAML: {getattr(exc, 'problem', exc)}", where=place) from None
    top = _mapping(document, TOP_KEYS, where)
    name = top.get("taxonomy")
    if not isinstance(name, str) or not SLUG.fullmatch(name):
        raise InputError("lower-case letters, digits and hyphens", where=f"{where}: taxonomy")
    prefix = _text(top, "uri_prefix", where, default=f"urn:microcred:{name}")
    builder = _Builder(name, prefix, where)
    skills = [builder.skill(item, n) for n, item in enumerate(_list(top, "skills", where))]
    occupations = [
        builder.occupation(item, n) for n, item in enumerate(_list(top, "occupations", where))
    ]
    builder.check_broader(skills)
    release = _text(top, "release", where, default=name)
    return Taxonomy(SCHEME, release, tuple(skills), tuple(occupations))


class _Builder:
    def __init__(self, name: str, prefix: str, where: str) -> None:
        self.name, self.prefix, self.where = name, prefix, where
        self.skill_uris: dict[str, str] = {}
        self.occupation_slugs: set[str] = set()

    def skill(self, item: Any, n: int) -> TaxonomySkill:
        place = f"{self.where}: skills[{n}]"
        entry = _mapping(item, SKILL_KEYS, place)
        slug = _slug(entry, place, self.skill_uris)
        uri = _text(entry, "uri", place, default=f"{self.prefix}:skill:{slug}")
        self.skill_uris[slug] = uri
        return TaxonomySkill(
            uri=uri,
            scheme=SCHEME,
            code=f"{self.name}:{slug}",
            label=_text(entry, "label", place),
            alt_labels=_labels(entry, place),
            description=_text(entry, "description", place, default="").strip(),
            skill_type=_text(entry, "type", place, default="skill"),
            broader_uri=_text(entry, "broader", place, default=""),
        )

    def occupation(self, item: Any, n: int) -> TaxonomyOccupation:
        place = f"{self.where}: occupations[{n}]"
        entry = _mapping(item, OCCUPATION_KEYS, place)
        slug = _slug(entry, place, self.occupation_slugs)
        self.occupation_slugs.add(slug)
        needs: dict[str, SkillRequirement] = {}
        relations: tuple[Relation, ...] = ("essential", "optional")
        for relation in relations:
            for skill_uri, level in self._needs(entry.get(relation), f"{place}.{relation}"):
                needs.setdefault(
                    skill_uri, SkillRequirement(skill_uri, relation, IMPORTANCE[relation], level)
                )
        return TaxonomyOccupation(
            uri=_text(entry, "uri", place, default=f"{self.prefix}:occupation:{slug}"),
            scheme=SCHEME,
            code=f"{self.name}:{slug}",
            label=_text(entry, "label", place),
            alt_labels=_labels(entry, place),
            description=_text(entry, "description", place, default="").strip(),
            skills=tuple(needs.values()),
        )

    def _needs(self, value: Any, place: str) -> list[tuple[str, int | None]]:
        if value is None:
            return []
        pairs = list(value.items()) if isinstance(value, dict) else value
        if not isinstance(pairs, list):
            raise InputError("a mapping skill -> level, or a list of skills", where=place)
        out: list[tuple[str, int | None]] = []
        for pair in pairs:
            skill, level = pair if isinstance(pair, tuple) else (pair, None)
            out.append((self._reference(skill, f"{place}.{skill}"), _level(level, place, skill)))
        return out

    def _reference(self, skill: Any, place: str) -> str:
        if isinstance(skill, str) and skill in self.skill_uris:
            return self.skill_uris[skill]
        if isinstance(skill, str) and ":" in skill:
            return skill  # a URI of another taxonomy; the import checks it exists
        raise InputError("not a skill of this file (a slug) nor a URI", where=place)

    def check_broader(self, skills: list[TaxonomySkill]) -> None:
        for n, skill in enumerate(skills):
            if skill.broader_uri and ":" not in skill.broader_uri:
                if skill.broader_uri not in self.skill_uris:
                    place = f"{self.where}: skills[{n}].broader"
                    raise InputError(f"no skill {skill.broader_uri!r} in this file", where=place)
                skills[n] = replace(skill, broader_uri=self.skill_uris[skill.broader_uri])


def _mapping(value: Any, allowed: set[str], place: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError("expected a mapping", where=place)
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(unknown)}", where=place)
    return value


def _list(top: dict[str, Any], key: str, place: str) -> list[Any]:
    value = top.get(key) or []
    if not isinstance(value, list):
        raise InputError("expected a list", where=f"{place}: {key}")
    return value


def _text(entry: dict[str, Any], key: str, place: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise InputError("expected text", where=f"{place}.{key}")
    return value


def _slug(entry: dict[str, Any], place: str, taken: dict[str, str] | set[str]) -> str:
    slug = entry.get("slug")
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        raise InputError("lower-case letters, digits and hyphens", where=f"{place}.slug")
    if slug in taken:
        raise InputError(f"{slug!r} is used twice", where=f"{place}.slug")
    return slug


def _labels(entry: dict[str, Any], place: str) -> tuple[str, ...]:
    value = entry.get("alt_labels") or []
    if not isinstance(value, list) or not all(isinstance(label, str) for label in value):
        raise InputError("expected a list of labels", where=f"{place}.alt_labels")
    return tuple(label.strip() for label in value if label.strip())


def _level(value: Any, place: str, skill: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_LEVEL <= value <= MAX_LEVEL:
        raise InputError(
            f"level {value!r}: an integer {MIN_LEVEL}-{MAX_LEVEL}", where=f"{place}.{skill}"
        )
    return value
