"""EU micro-credential elements (Council Recommendation 2022/C 243/02, Annex I).

OB 3.0 has no field for ECTS workload, EQF level, form of participation, type of
assessment, supervision/identity verification, quality assurance or stacking options.
microcred adds them to the Achievement as extension properties defined by its own
JSON-LD context ``https://w3id.org/microcred/v1`` (``crypto/contexts/microcred-v1.jsonld``),
listed after the OB context, so every one of them is a defined term in signed RDF.

Value choices (the context coerces them):
- ``creditPoints`` / ``notionalWorkloadHours`` are JSON numbers typed ``xsd:double``.
  JSON-LD writes a coerced number in the canonical double form (``"5.0E0"^^xsd:double``),
  which is a valid double for integral and fractional values alike; ``xsd:decimal`` would
  produce the invalid literal ``"2.5E0"^^xsd:decimal`` for 2.5 credits.
- ``eqfLevel`` is the EU vocabulary IRI ``http://data.europa.eu/snb/eqf/<1-8>`` (as ELM).
- ``creditSystem``, ``participationForm``, ``supervisionVerification`` and
  ``integrationOption`` are ``@vocab`` terms defined in the context (``"Online"`` expands to
  ``https://w3id.org/microcred/vocab#Online``; ``"ECTS"`` to the ELM education-credit IRI).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from microcred.core.errors import InputError
from microcred.core.model.base import URI, ListOf, OBModel
from microcred.core.model.parse import validation_error_to_input_error

MICROCRED_CONTEXT = "https://w3id.org/microcred/v1"
MICROCRED_VOCAB = "https://w3id.org/microcred/vocab#"
EQF_IRI_PREFIX = "http://data.europa.eu/snb/eqf/"
ECTS = "ECTS"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


class ParticipationForm(StrEnum):
    """Form of participation in the learning activity (Annex I, mandatory)."""

    ONLINE = "Online"
    ONSITE = "Onsite"
    BLENDED = "Blended"


class SupervisionVerification(StrEnum):
    """Supervision and identity verification during assessment (the three Annex I values)."""

    UNSUPERVISED_NO_ID = "UnsupervisedNoIdentityVerification"
    SUPERVISED_NO_ID = "SupervisedNoIdentityVerification"
    SUPERVISED_WITH_ID = "SupervisedWithIdentityVerification"


class IntegrationOption(StrEnum):
    """Integration/stacking options (Annex I, optional)."""

    STAND_ALONE = "StandAlone"
    INTEGRATED_STACKABLE = "IntegratedStackable"


class EUElements(OBModel):
    """The Annex I elements OB 3.0 lacks, as Achievement extension properties."""

    model_config = ConfigDict(extra="forbid")

    credit_points: float | None = Field(default=None, gt=0, le=1000)
    credit_system: str | None = None
    notional_workload_hours: float | None = Field(default=None, gt=0, le=100_000)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    nqf_level: str | None = Field(default=None, min_length=1)
    participation_form: ParticipationForm | None = None
    assessment_type: str | None = Field(default=None, min_length=1)
    supervision_verification: SupervisionVerification | None = None
    quality_assurance: str | None = Field(default=None, min_length=1)
    integration_option: IntegrationOption | None = None
    stackable_towards: ListOf[URI] | None = None
    prerequisites: str | None = Field(default=None, min_length=1)
    learning_outcomes: ListOf[str] | None = None

    @field_validator("eqf_level", mode="before")
    @classmethod
    def _eqf_from_iri(cls, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(EQF_IRI_PREFIX):
            return value.removeprefix(EQF_IRI_PREFIX)
        return value

    @field_serializer("eqf_level")
    def _eqf_to_iri(self, value: int | None) -> str | None:
        return None if value is None else f"{EQF_IRI_PREFIX}{value}"

    @field_validator("credit_system")
    @classmethod
    def _known_credit_system(cls, value: str | None) -> str | None:
        # A bare word would be an undefined @vocab term (dropped from the signed RDF).
        if value is None or value == ECTS or _ABSOLUTE_IRI.match(value):
            return value
        raise ValueError(f"must be {ECTS!r} or an absolute IRI naming the credit system")

    @model_validator(mode="after")
    def _default_credit_system(self) -> EUElements:
        if self.credit_points is not None and self.credit_system is None:
            self.credit_system = ECTS
        return self

    def achievement_properties(self) -> dict[str, Any]:
        """The JSON properties to merge into the Achievement (camelCase, no empty values)."""
        return self.to_json()

    @classmethod
    def from_achievement(cls, achievement: Any) -> EUElements | None:
        """The EU elements of an Achievement (model or dict), or ``None`` if it has none."""
        extra = achievement if isinstance(achievement, dict) else (achievement.model_extra or {})
        props = {key: value for key, value in extra.items() if key in EU_TERMS}
        if not props:
            return None
        try:
            return cls.model_validate(props)
        except ValidationError as exc:
            error = validation_error_to_input_error(props, exc)
            where = f"credentialSubject.achievement.{error.where}"
            raise InputError(error.message, where=where) from None


#: The JSON keys (terms of the microcred context) that carry EU elements.
EU_TERMS: frozenset[str] = frozenset(
    field.alias or name for name, field in EUElements.model_fields.items()
)
