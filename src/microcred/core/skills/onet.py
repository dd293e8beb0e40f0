"""Read an O*NET database release (the tables as UTF-8 CSV, as in ``shared/data/onet-29.2``).

Files (the official names converted from .xlsx, e.g. ``Occupation Data.xlsx`` ->
``occupation_data.csv``):

- ``occupation_data.csv`` (required): ``O*NET-SOC Code, Title, Description`` -> occupations
  with URI ``urn:onet:soc:<code>``.
- ``content_model_reference.csv`` (required): ``Element ID, Element Name, Description`` ->
  names of the skills and knowledge areas (URI ``urn:onet:<element id>``) and of their
  broader elements (``2.A.1`` Basic Skills above ``2.A.1.a`` Reading Comprehension; stored as
  skills of type ``"group"`` so that the hierarchy has somewhere to point).
- ``skills.csv`` and ``knowledge.csv`` (required): ratings ``O*NET-SOC Code, Element ID,
  Scale ID, Data Value, Recommend Suppress, Not Relevant``. An occupation needs an element
  when its importance (IM, 1-5) is rated: importance = IM / 5, essential when IM >= 3.0, else
  optional; the level (LV, 0-7) becomes 1 + round(LV) on the 1-8 scale. A pair is left out
  when its IM is suppressed (``Recommend Suppress`` = Y) or its LV row says ``Not Relevant``
  = Y; a suppressed LV only drops the level.
- ``technology_skills.csv`` (optional): every UNSPSC commodity becomes a skill
  ``urn:onet:tech:<commodity code>`` of type ``"technology"`` (label = commodity title,
  description = its most listed example products), optional for each occupation that lists
  it, importance 0.3, 0.5 when one of its examples is a Hot Technology, 0.7 when one is In
  Demand for that occupation.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from microcred.core.errors import InputError
from microcred.core.skills.taxonomy import (
    SkillRequirement,
    Taxonomy,
    TaxonomyOccupation,
    TaxonomySkill,
    level_from_onet,
    read_csv,
    row_error,
)

SCHEME = "onet"
SOC, ELEMENT = "O*NET-SOC Code", "Element ID"
ESSENTIAL_IM = 3.0
TECH_IMPORTANCE, HOT_IMPORTANCE, IN_DEMAND_IMPORTANCE = 0.3, 0.5, 0.7
TECH_EXAMPLES = 25
RATING_FILES = {"skills.csv": "skill", "knowledge.csv": "knowledge"}


def occupation_uri(code: str) -> str:
    return f"urn:onet:soc:{code}"


def element_uri(element_id: str) -> str:
    return f"urn:onet:{element_id}"


def tech_uri(commodity_code: str) -> str:
    return f"urn:onet:tech:{commodity_code}"


@dataclass
class _Rating:
    importance: float | None = None
    level: float | None = None
    left_out: bool = False


def read_onet(folder: Path, release: str | None = None) -> Taxonomy:
    """Every occupation of the O*NET release in ``folder`` with its rated skills, knowledge
    areas and technologies."""
    if not folder.is_dir():
        raise InputError("not a folder (expected the O*NET tables as CSV)", where=str(folder))
    occupations = _read_occupations(folder / "occupation_data.csv")
    elements = _read_elements(folder / "content_model_reference.csv")
    skills: dict[str, TaxonomySkill] = {}
    needs: dict[str, list[SkillRequirement]] = defaultdict(list)
    for name, kind in RATING_FILES.items():
        ratings = _read_ratings(folder / name, occupations, elements)
        for (code, element_id), rating in sorted(ratings.items()):
            requirement = _requirement(element_id, rating)
            if requirement is not None:
                needs[code].append(requirement)
                _add_element(element_id, kind, elements, skills)
    if (folder / "technology_skills.csv").is_file():
        _read_technology(folder / "technology_skills.csv", occupations, skills, needs)
    return Taxonomy(
        scheme=SCHEME,
        release=release or _release_from_name(folder),
        skills=tuple(skills.values()),
        occupations=tuple(
            TaxonomyOccupation(
                uri=occupation_uri(code),
                scheme=SCHEME,
                code=code,
                label=title,
                description=description,
                skills=tuple(needs.get(code, ())),
            )
            for code, (title, description) in occupations.items()
        ),
    )


def _release_from_name(folder: Path) -> str:
    match = re.search(r"(\d+\.\d+)", folder.resolve().name)
    return f"O*NET {match.group(1)}" if match else "O*NET"


def _read_occupations(path: Path) -> dict[str, tuple[str, str]]:
    occupations: dict[str, tuple[str, str]] = {}
    for line, row in read_csv(path, (SOC, "Title")):
        code, title = row[SOC].strip(), row["Title"].strip()
        if not re.fullmatch(r"\d{2}-\d{4}\.\d{2}", code) or not title:
            raise row_error(path, line, f"{SOC} {code!r}: expected NN-NNNN.NN and a Title")
        occupations[code] = (title, row.get("Description", "").strip())
    return occupations


def _read_elements(path: Path) -> dict[str, tuple[str, str]]:
    elements: dict[str, tuple[str, str]] = {}
    for line, row in read_csv(path, (ELEMENT, "Element Name")):
        element_id, name = row[ELEMENT].strip(), row["Element Name"].strip()
        if not element_id or not name:
            raise row_error(path, line, "an element needs an Element ID and an Element Name")
        elements[element_id] = (name, row.get("Description", "").strip())
    return elements


def _read_ratings(
    path: Path, occupations: dict[str, tuple[str, str]], elements: dict[str, tuple[str, str]]
) -> dict[tuple[str, str], _Rating]:
    ratings: dict[tuple[str, str], _Rating] = defaultdict(_Rating)
    for line, row in read_csv(path, (SOC, ELEMENT, "Scale ID", "Data Value")):
        code, element_id, scale = row[SOC].strip(), row[ELEMENT].strip(), row["Scale ID"].strip()
        if code not in occupations:
            raise row_error(path, line, f"{SOC} {code!r} is not in occupation_data.csv")
        if element_id not in elements:
            raise row_error(path, line, f"{ELEMENT} {element_id!r} is not in the content model")
        try:
            value = float(row["Data Value"])
        except ValueError:
            raise row_error(path, line, f"Data Value {row['Data Value']!r}: not a number") from None
        suppressed = row.get("Recommend Suppress", "").strip().upper() == "Y"
        rating = ratings[(code, element_id)]
        if scale == "IM":
            rating.importance = None if suppressed else value
            rating.left_out |= suppressed
        elif scale == "LV":
            rating.level = None if suppressed else value
            rating.left_out |= row.get("Not Relevant", "").strip().upper() == "Y"
    return ratings


def _requirement(element_id: str, rating: _Rating) -> SkillRequirement | None:
    if rating.left_out or rating.importance is None:
        return None
    return SkillRequirement(
        skill_uri=element_uri(element_id),
        relation="essential" if rating.importance >= ESSENTIAL_IM else "optional",
        importance=round(min(1.0, max(0.0, rating.importance / 5)), 4),
        level=None if rating.level is None else level_from_onet(rating.level),
    )


def _add_element(
    element_id: str, kind: str, elements: dict[str, tuple[str, str]], out: dict[str, TaxonomySkill]
) -> None:
    """The element and its broader elements (up to, not including, the content model's root)."""
    while "." in element_id and element_uri(element_id) not in out:
        parent = element_id.rsplit(".", 1)[0]
        name, description = elements.get(element_id, (element_id, ""))
        out[element_uri(element_id)] = TaxonomySkill(
            uri=element_uri(element_id),
            scheme=SCHEME,
            code=element_id,
            label=name,
            description=description,
            skill_type=kind,
            broader_uri=element_uri(parent) if "." in parent and parent in elements else "",
        )
        element_id, kind = parent, "group"


def _read_technology(
    path: Path,
    occupations: dict[str, tuple[str, str]],
    skills: dict[str, TaxonomySkill],
    needs: dict[str, list[SkillRequirement]],
) -> None:
    titles: dict[str, str] = {}
    examples: dict[str, Counter[str]] = defaultdict(Counter)
    weight: dict[tuple[str, str], float] = {}
    required = (SOC, "Example", "Commodity Code", "Commodity Title", "Hot Technology")
    for line, row in read_csv(path, required):
        code, commodity = row[SOC].strip(), row["Commodity Code"].strip()
        title = row["Commodity Title"].strip()
        if code not in occupations:
            raise row_error(path, line, f"{SOC} {code!r} is not in occupation_data.csv")
        if not commodity.isdigit() or not title:
            raise row_error(path, line, "a technology needs a numeric Commodity Code and a title")
        titles.setdefault(commodity, title)
        examples[commodity][row["Example"].strip()] += 1
        importance = TECH_IMPORTANCE
        if row.get("In Demand", "").strip().upper() == "Y":
            importance = IN_DEMAND_IMPORTANCE
        elif row["Hot Technology"].strip().upper() == "Y":
            importance = HOT_IMPORTANCE
        weight[(code, commodity)] = max(importance, weight.get((code, commodity), 0.0))
    for commodity, title in sorted(titles.items()):
        top = sorted(examples[commodity].items(), key=lambda item: (-item[1], item[0]))
        names = ", ".join(name for name, _count in top[:TECH_EXAMPLES] if name)
        skills[tech_uri(commodity)] = TaxonomySkill(
            uri=tech_uri(commodity),
            scheme=SCHEME,
            code=f"tech:{commodity}",
            label=title,
            description=f"Examples: {names}." if names else "",
            skill_type="technology",
        )
    for (code, commodity), importance in sorted(weight.items()):
        needs[code].append(SkillRequirement(tech_uri(commodity), "optional", importance))
