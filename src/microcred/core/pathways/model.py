"""Pathway definitions: a requirement tree, parsed from a dict, YAML or JSON text.

Every node carries a ``type`` tag (the discriminator): ``all``, ``atLeast``,
``creditsAtLeast``, ``achievement`` and ``skill``. Field names are camelCase in files and
JSON (``achievementId``, ``minResult``) and snake_case in Python, like the OB 3.0 model.
Unknown fields are refused, so a typo (``minResutl``) is an error naming its place rather
than a silently ignored rule. Models are frozen: the engine caches a compiled plan on them.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic.alias_generators import to_camel

from microcred.core.errors import InputError
from microcred.core.model.parse import validation_error_to_input_error

CreditUnit = Literal["ECTS", "hours"]
RevocationPolicy = Literal["keep", "flag", "suspend"]
MAX_TEXT = 1_000_000  # a pathway file is small; refuse megabytes of YAML before parsing


class _Base(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        serialize_by_alias=True,
    )


class _Node(_Base):
    id: str | None = Field(default=None, description="optional label, unique in the pathway")
    title: str = ""


class Achievement(_Node):
    """A credential for this achievement (or one of its recognised equivalents).

    ``equivalents`` are other achievement ids that count as this one ("provider B's
    *Intro to SQL* counts as our *SQL Basics*"); any one of them fills the leaf once.
    """

    type: Literal["achievement"] = "achievement"
    achievement_id: str = Field(min_length=1)
    equivalents: tuple[str, ...] = ()
    min_result: str | None = None
    max_age_months: int | None = Field(default=None, ge=1)

    @property
    def achievement_ids(self) -> tuple[str, ...]:
        return (self.achievement_id, *self.equivalents)


class Skill(_Node):
    """Any credential aligned to this skill: a URI (exact) or a text (case-insensitive)."""

    type: Literal["skill"] = "skill"
    skill: str = Field(min_length=1)
    min_result: str | None = None
    max_age_months: int | None = Field(default=None, ge=1)


Leaf = Annotated[Achievement | Skill, Field(discriminator="type")]


class CreditsAtLeast(_Node):
    """At least ``n`` credits (ECTS or hours) summed over the credentials it uses.

    ``children`` are leaves saying which credentials may count; without them any
    countable credential that no other part of the pathway uses counts.
    """

    type: Literal["creditsAtLeast"] = "creditsAtLeast"
    n: float = Field(gt=0)
    unit: CreditUnit = "ECTS"
    children: tuple[Leaf, ...] | None = None


class All(_Node):
    type: Literal["all"] = "all"
    children: tuple[Requirement, ...] = Field(min_length=1)


class AtLeast(_Node):
    type: Literal["atLeast"] = "atLeast"
    k: int
    children: tuple[Requirement, ...] = Field(min_length=1)


Requirement = Annotated[
    All | AtLeast | CreditsAtLeast | Achievement | Skill, Field(discriminator="type")
]
All.model_rebuild()
AtLeast.model_rebuild()


class Pathway(_Base):
    """A stackable pathway: a requirement tree and the rules around it."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    requirement: Requirement
    accepted_issuers: tuple[str, ...] | None = None
    revocation_policy: RevocationPolicy = "flag"
    credits: float | None = Field(default=None, ge=0)
    credits_unit: CreditUnit = "ECTS"
    _plan: Any = PrivateAttr(default=None)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def parse_pathway(data: dict[str, Any] | str) -> Pathway:
    """A :class:`Pathway` from a dict or YAML/JSON text; :class:`InputError` names the place."""
    document = _load_text(data) if isinstance(data, str) else data
    if not isinstance(document, dict):
        raise InputError("a pathway must be a mapping (id, name, requirement)", where="document")
    try:
        return Pathway.model_validate(document)
    except ValidationError as exc:
        raise validation_error_to_input_error(document, exc) from None


def _load_text(text: str) -> Any:
    if len(text) > MAX_TEXT:
        raise InputError(f"the pathway file is larger than {MAX_TEXT} characters")
    try:
        return yaml.safe_load(text)  # JSON is (all but) a subset of YAML
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise InputError(f"not valid YAML or JSON: {exc.problem}", where=where) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML or JSON: {exc}") from None


def dumps(pathway: Pathway) -> str:
    """The pathway as JSON text (what ``parse_pathway`` reads back)."""
    return json.dumps(pathway.to_json(), indent=2, ensure_ascii=False)
