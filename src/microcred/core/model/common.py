"""Small OB 3.0 classes shared by credentials, achievements and profiles.

Cardinalities and required fields follow the OB 3.0 data model and the published JSON
Schema (``ob_v3p0_achievementcredential_schema.json``); classes the schema closes with
``additionalProperties: false`` derive from :class:`ClosedOBModel`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from microcred.core.model.base import (
    URI,
    ClosedOBModel,
    DateTimeZ,
    ListOf,
    OBModel,
    TypeList,
    require_type,
)


class TypedOBModel(OBModel):
    """An OB class whose ``type`` must include one of :attr:`REQUIRED_TYPES`."""

    REQUIRED_TYPES: ClassVar[tuple[str, ...]] = ()

    @field_validator("type", check_fields=False)
    @classmethod
    def _has_required_type(cls, value: list[str]) -> list[str]:
        if cls.REQUIRED_TYPES:
            require_type(value, *cls.REQUIRED_TYPES)
        return value


class Image(ClosedOBModel):
    """An image: an ``id`` URL or ``data:`` URI, ``type`` "Image", optional caption."""

    id: URI
    type: Literal["Image"] = "Image"
    caption: str | None = None


class IdentifierEntry(ClosedOBModel):
    """One of ``otherIdentifier``: an identifier in some named scheme."""

    type: Literal["IdentifierEntry"] = "IdentifierEntry"
    identifier: str
    identifier_type: str


class GeoCoordinates(TypedOBModel):
    REQUIRED_TYPES = ("GeoCoordinates",)
    type: TypeList = Field(default_factory=lambda: ["GeoCoordinates"])
    latitude: float
    longitude: float


class Address(TypedOBModel):
    REQUIRED_TYPES = ("Address",)
    type: TypeList = Field(default_factory=lambda: ["Address"])
    address_country: str | None = None
    address_country_code: str | None = None
    address_region: str | None = None
    address_locality: str | None = None
    street_address: str | None = None
    post_office_box_number: str | None = None
    postal_code: str | None = None
    geo: GeoCoordinates | None = None


class Criteria(OBModel):
    """How the achievement is earned: a page ``id`` and/or a Markdown ``narrative``."""

    id: URI | None = None
    narrative: str | None = None


class Alignment(TypedOBModel):
    """A link to a competency, framework item or credential the achievement aligns to."""

    REQUIRED_TYPES = ("Alignment",)
    type: TypeList = Field(default_factory=lambda: ["Alignment"])
    target_name: str
    target_url: URI
    target_code: str | None = None
    target_description: str | None = None
    target_framework: str | None = None
    target_type: str | None = None


class RubricCriterionLevel(TypedOBModel):
    REQUIRED_TYPES = ("RubricCriterionLevel",)
    id: URI
    type: TypeList = Field(default_factory=lambda: ["RubricCriterionLevel"])
    name: str
    alignment: ListOf[Alignment] | None = None
    description: str | None = None
    level: str | None = None
    points: str | None = None


class ResultDescription(TypedOBModel):
    """A possible result of the achievement (grade scale, status, rubric...)."""

    REQUIRED_TYPES = ("ResultDescription",)
    id: URI
    type: TypeList = Field(default_factory=lambda: ["ResultDescription"])
    name: str
    result_type: str
    alignment: ListOf[Alignment] | None = None
    allowed_value: ListOf[str] | None = None
    required_level: URI | None = None
    required_value: str | None = None
    rubric_criterion_level: ListOf[RubricCriterionLevel] | None = None
    value_max: str | None = None
    value_min: str | None = None


ResultStatus = Literal[
    "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"
]


class Result(TypedOBModel):
    """A result the learner obtained, usually pointing at a ResultDescription ``id``."""

    REQUIRED_TYPES = ("Result",)
    type: TypeList = Field(default_factory=lambda: ["Result"])
    achieved_level: URI | None = None
    alignment: ListOf[Alignment] | None = None
    result_description: URI | None = None
    status: ResultStatus | None = None
    value: str | None = None


class Related(TypedOBModel):
    REQUIRED_TYPES = ("Related",)
    id: URI
    type: TypeList = Field(default_factory=lambda: ["Related"])
    in_language: str | None = None
    version: str | None = None


class Evidence(TypedOBModel):
    """Something that supports the award: a URL, a narrative, a file."""

    REQUIRED_TYPES = ("Evidence",)
    id: URI | None = None
    type: TypeList = Field(default_factory=lambda: ["Evidence"])
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


class CredentialSchema(OBModel):
    id: URI
    type: str


class CredentialStatus(OBModel):
    """``credentialStatus``; extra fields are kept (Bitstring Status List, 1EdTech list)."""

    id: URI | None = None
    type: str
    status_purpose: str | None = None
    # A base-10 string per the spec; some 1EdTech validator fixtures use a JSON number.
    status_list_index: str | int | None = None
    status_list_credential: URI | None = None
    status_size: int | None = None
    status_message: list[dict[str, Any]] | None = None


class RefreshService(OBModel):
    id: URI
    type: str


class TermsOfUse(OBModel):
    id: URI | None = None
    type: str


class Proof(OBModel):
    """An embedded proof (Data Integrity or a legacy suite); checked by the crypto layer."""

    type: str
    created: DateTimeZ | None = None
    cryptosuite: str | None = None
    challenge: str | None = None
    domain: str | None = None
    nonce: str | None = None
    proof_purpose: str | None = None
    proof_value: str | None = None
    verification_method: str | None = None
