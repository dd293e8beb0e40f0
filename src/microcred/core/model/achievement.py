"""Achievement (the "badge class") and AchievementSubject (who earned it, with what result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from microcred.core.model.base import URI, DateTime, ListOf, TypeList
from microcred.core.model.common import (
    Alignment,
    Criteria,
    IdentifierEntry,
    Image,
    Related,
    Result,
    ResultDescription,
    TypedOBModel,
)
from microcred.core.model.identity import IdentityObject
from microcred.core.model.profile import Profile

if TYPE_CHECKING:  # resolved by model_rebuild() in credential.py (mutual references)
    from microcred.core.model.credential import EndorsementCredential


class Achievement(TypedOBModel):
    """What was achieved. Extension properties (e.g. the EU elements) stay in ``model_extra``."""

    REQUIRED_TYPES = ("Achievement",)
    id: URI
    type: TypeList = Field(default_factory=lambda: ["Achievement"])
    name: str
    description: str
    criteria: Criteria
    achievement_type: str | None = None
    alignment: ListOf[Alignment] | None = None
    creator: Profile | None = None
    credits_available: float | None = None
    endorsement: ListOf[EndorsementCredential] | None = None
    endorsement_jwt: ListOf[str] | None = None
    field_of_study: str | None = None
    human_code: str | None = None
    image: Image | None = None
    in_language: str | None = None
    other_identifier: ListOf[IdentifierEntry] | None = None
    related: ListOf[Related] | None = None
    result_description: ListOf[ResultDescription] | None = None
    specialization: str | None = None
    tag: ListOf[str] | None = None
    version: str | None = None


class AchievementSubject(TypedOBModel):
    """The recipient: ``id`` and/or ``identifier`` (at least one), and the achievement."""

    REQUIRED_TYPES = ("AchievementSubject",)
    id: URI | None = None
    type: TypeList = Field(default_factory=lambda: ["AchievementSubject"])
    achievement: Achievement
    identifier: ListOf[IdentityObject] | None = None
    activity_start_date: DateTime | None = None
    activity_end_date: DateTime | None = None
    credits_earned: float | None = None
    image: Image | None = None
    license_number: str | None = None
    narrative: str | None = None
    result: ListOf[Result] | None = None
    role: str | None = None
    source: Profile | None = None
    term: str | None = None

    @property
    def names_recipient(self) -> bool:
        """OB 3.0 asks for an ``id`` or an ``identifier``; credentials in the wild sometimes
        carry neither. Reading accepts them (the verifier says so); issuing refuses them."""
        return self.id is not None or bool(self.identifier)
