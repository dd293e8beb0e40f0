"""Profile: the issuer, creator, source or endorser of credentials (OB 3.0 ``Profile``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from microcred.core.model.base import URI, ListOf, TypeList
from microcred.core.model.common import Address, IdentifierEntry, Image, TypedOBModel

if TYPE_CHECKING:  # resolved by model_rebuild() in credential.py (mutual references)
    from microcred.core.model.credential import EndorsementCredential


class Profile(TypedOBModel):
    """A person or organisation. Only ``id`` and ``type`` are required by OB 3.0."""

    REQUIRED_TYPES = ("Profile",)
    id: URI
    type: TypeList = Field(default_factory=lambda: ["Profile"])
    name: str | None = None
    url: URI | None = None
    phone: str | None = None
    description: str | None = None
    endorsement: ListOf[EndorsementCredential] | None = None
    endorsement_jwt: ListOf[str] | None = None
    image: Image | None = None
    email: str | None = None
    address: Address | None = None
    other_identifier: ListOf[IdentifierEntry] | None = None
    official: str | None = None
    parent_org: Profile | None = None
    family_name: str | None = None
    given_name: str | None = None
    additional_name: str | None = None
    patronymic_name: str | None = None
    honorific_prefix: str | None = None
    honorific_suffix: str | None = None
    family_name_prefix: str | None = None
    date_of_birth: str | None = None
