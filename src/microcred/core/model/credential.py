"""AchievementCredential (alias OpenBadgeCredential) and EndorsementCredential.

Both are W3C Verifiable Credentials. microcred *issues* VC 2.0 shaped credentials
(``validFrom``/``validUntil``) but *reads* the VC 1.1 shaped OB 3.0 credentials still in
circulation (``issuanceDate``/``expirationDate``, first context
``https://www.w3.org/2018/credentials/v1``), as the OB 3.0 verification rules require.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from microcred.core.model.achievement import Achievement, AchievementSubject
from microcred.core.model.base import URI, DateTimeZ, ListOf, TypeList, require_type
from microcred.core.model.common import (
    CredentialSchema,
    CredentialStatus,
    Evidence,
    Image,
    Proof,
    RefreshService,
    TermsOfUse,
    TypedOBModel,
)
from microcred.core.model.profile import Profile

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
_OB_CONTEXT_RE = re.compile(
    r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$"
)


def required_unless_vc1(value: str | None, info: ValidationInfo) -> str | None:
    """Report a missing field, except in VC 1.1 shaped credentials (read leniently)."""
    context = info.data.get("context") or [VC_V2_CONTEXT]
    if value is None and context[0] != VC_V1_CONTEXT:
        raise PydanticCustomError("missing", "Field required")
    return value


class VerifiableCredentialModel(TypedOBModel):
    """Fields every VC (2.0, or 1.1 for reading) carries in OB 3.0."""

    context: ListOf[Any] = Field(alias="@context")
    id: URI | None = Field(default=None, validate_default=True)
    type: TypeList
    name: str | None = None
    description: str | None = None
    issuer: URI | Profile
    valid_from: DateTimeZ | None = Field(default=None, validate_default=True)
    valid_until: DateTimeZ | None = None
    issuance_date: DateTimeZ | None = Field(default=None, validate_default=True)
    expiration_date: DateTimeZ | None = None
    proof: ListOf[Proof] | None = None
    credential_schema: ListOf[CredentialSchema] | None = None
    # OB 3.0 (and what microcred issues) has one entry; VC 2.0 allows several, so reading
    # accepts a list (e.g. revocation and suspension from another issuer).
    credential_status: CredentialStatus | list[CredentialStatus] | None = None
    refresh_service: RefreshService | None = None
    terms_of_use: ListOf[TermsOfUse] | None = None
    evidence: ListOf[Evidence] | None = None

    @field_validator("context")
    @classmethod
    def _ob_contexts(cls, value: list[Any]) -> list[Any]:
        if not value or value[0] not in (VC_V2_CONTEXT, VC_V1_CONTEXT):
            raise ValueError(f"the first context must be {VC_V2_CONTEXT!r}")
        if not any(isinstance(item, str) and _OB_CONTEXT_RE.match(item) for item in value):
            raise ValueError(
                "an Open Badges 3.0 context (…/ob/v3p0/context-3.0.x.json) is required"
            )
        return value

    @field_validator("valid_from", "issuance_date")
    @classmethod
    def _has_issue_date(cls, value: str | None, info: ValidationInfo) -> str | None:
        # VC 2.0 needs validFrom, VC 1.1 needs issuanceDate; reported as a missing field.
        context = info.data.get("context") or [VC_V2_CONTEXT]
        wanted = "issuance_date" if context[0] == VC_V1_CONTEXT else "valid_from"
        if value is None and info.field_name == wanted:
            raise PydanticCustomError("missing", "Field required")
        return value

    @field_validator("id")
    @classmethod
    def _has_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        # OB 3.0 requires the credential id; VC 1.1 era endorsements were issued without one.
        return required_unless_vc1(value, info)

    @property
    def is_vc_v1(self) -> bool:
        """True for a VC 1.1 shaped credential (read-only support)."""
        return bool(self.context) and self.context[0] == VC_V1_CONTEXT

    @property
    def issuer_id(self) -> str:
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id

    @property
    def starts(self) -> str | None:
        """Start of validity: ``validFrom``, or ``issuanceDate`` for VC 1.1."""
        return self.valid_from if self.valid_from is not None else self.issuance_date

    @property
    def ends(self) -> str | None:
        """End of validity: ``validUntil``, or ``expirationDate`` for VC 1.1."""
        return self.valid_until if self.valid_until is not None else self.expiration_date


class BadgeCredentialModel(VerifiableCredentialModel):
    """What Open Badges adds to every credential it defines (achievement and endorsement)."""

    awarded_date: DateTimeZ | None = None
    endorsement: ListOf[EndorsementCredential] | None = None
    endorsement_jwt: ListOf[str] | None = None
    image: Image | None = None

    @field_validator("type")
    @classmethod
    def _is_vc(cls, value: list[str]) -> list[str]:
        require_type(value, "VerifiableCredential")
        return value


class EndorsementSubject(TypedOBModel):
    """What an endorsement is about (the ``id`` of a profile, achievement or credential)."""

    REQUIRED_TYPES = ("EndorsementSubject",)
    id: URI
    type: TypeList = Field(default_factory=lambda: ["EndorsementSubject"])
    endorsement_comment: str | None = None


class EndorsementCredential(BadgeCredentialModel):
    """A third party's signed statement about a profile, achievement or credential."""

    REQUIRED_TYPES = ("EndorsementCredential",)
    type: TypeList = Field(
        default_factory=lambda: ["VerifiableCredential", "EndorsementCredential"]
    )
    # Required by OB 3.0; VC 1.1 era endorsements (validator fixture complete_v1) lack it.
    name: str | None = Field(default=None, validate_default=True)
    credential_subject: EndorsementSubject

    @field_validator("name")
    @classmethod
    def _has_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        return required_unless_vc1(value, info)


class AchievementCredential(BadgeCredentialModel):
    """An Open Badge: an achievement awarded to a subject by an issuer."""

    REQUIRED_TYPES = ("AchievementCredential", "OpenBadgeCredential")
    type: TypeList = Field(default_factory=lambda: ["VerifiableCredential", "OpenBadgeCredential"])
    credential_subject: AchievementSubject

    @property
    def achievement(self) -> Achievement:
        return self.credential_subject.achievement


OpenBadgeCredential = AchievementCredential

_NAMESPACE = {"EndorsementCredential": EndorsementCredential}
for _model in (
    Profile,
    Achievement,
    AchievementSubject,
    BadgeCredentialModel,
    EndorsementCredential,
):
    _model.model_rebuild(_types_namespace=_NAMESPACE)
AchievementCredential.model_rebuild(_types_namespace=_NAMESPACE)
