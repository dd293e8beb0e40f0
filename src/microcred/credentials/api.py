"""Provider API for definitions and issued credentials (thin: parse, one service or
selector, render). Everything is scoped to the caller's provider: another provider's
definition or credential is a 404, exactly like one that does not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from microcred.credentials import achievements, selectors, services
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.providers.api import AUTH, Caller, caller

Definition = MicroCredentialDefinition
Json = dict[str, Any]


class DefinitionUpdate(Schema):
    name: str | None = None
    description: str | None = None
    criteria_narrative: str | None = None
    learning_outcomes: list[str] | None = None
    alignments: list[Json] | None = None
    result_descriptions: list[Json] | None = None
    expiry_months: int | None = Field(None, ge=1)
    eu_elements: Json | None = None
    is_eu: bool | None = None
    achievement_type: str | None = None
    status_purpose: Literal["revocation", "suspension"] | None = None


class DefinitionCreate(DefinitionUpdate):
    slug: str
    name: str
    description: str


class DefinitionPublic(Schema):
    slug: str
    version: int
    status: str
    achievement_id: str
    name: str
    description: str
    criteria_narrative: str
    learning_outcomes: list[Any]
    alignments: list[Any]
    result_descriptions: list[Any]
    expiry_months: int | None
    eu_elements: Json
    is_eu: bool
    achievement_type: str
    status_purpose: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_achievement_id(definition: Definition) -> str:
        return achievements.achievement_id(definition)


class CredentialIssue(Schema):
    definition: str = Field(..., description="slug of a published definition")
    recipient_email: str | None = None
    recipient_did: str | None = None
    narrative: str | None = None
    evidence_url: str | None = None
    result: Json | list[Json] | None = None
    valid_until: datetime | None = None
    idempotency_key: str | None = Field(None, max_length=200)


class StateChange(Schema):
    reason: str = ""


class CredentialSummary(Schema):
    uuid: UUID
    credential_id: str
    url: str
    definition: str
    version: int
    state: str
    reason: str
    recipient_email: str
    recipient_did: str
    idempotency_key: str | None
    issued_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_uuid(row: IssuedCredential) -> UUID:
        return _uuid(row)

    @staticmethod
    def resolve_url(row: IssuedCredential) -> str:
        path = reverse("credentials:credential", args=[_uuid(row)])
        return str(settings.MICROCRED_BASE_URL).rstrip("/") + path

    @staticmethod
    def resolve_definition(row: IssuedCredential) -> str:
        return row.definition.slug

    @staticmethod
    def resolve_version(row: IssuedCredential) -> int:
        return row.definition.version


class CredentialPublic(CredentialSummary):
    document: Json = Field(..., description="the signed credential, exactly as issued")


class CredentialPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CredentialSummary]


#: past any real list; keeps OFFSET within the database's 64-bit integers (a huge offset
#: was a 500 - "datatype mismatch" on SQLite - found by fuzzing the API)
MAX_OFFSET = 10**9


class CredentialFilter(Schema):
    state: Literal["active", "suspended", "revoked"] | None = None
    definition: str | None = Field(None, description="definition slug")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _uuid(row: IssuedCredential) -> UUID:
    return UUID(row.credential_id.removeprefix("urn:uuid:"))


def _credential(who: Caller, credential_uuid: UUID) -> IssuedCredential:
    row = (
        selectors.credentials_of(who.provider)
        .filter(credential_id=f"urn:uuid:{credential_uuid}")
        .first()
    )
    if row is None:
        raise Http404("no such credential")
    return row


definitions = Router(tags=["definitions"], auth=AUTH)
credentials = Router(tags=["credentials"], auth=AUTH)


@definitions.get("", response=list[DefinitionPublic], summary="Every version of every definition")
def list_definitions(request: HttpRequest) -> Any:
    return selectors.definitions_of(caller(request).provider)


@definitions.post("", response={201: DefinitionPublic}, summary="Create a draft definition")
def create_definition(request: HttpRequest, payload: DefinitionCreate) -> Any:
    who = caller(request)
    who.require_write()
    fields = payload.model_dump(exclude_unset=True, exclude_none=True)
    created = services.create_definition(actor=who.user, provider=who.provider, **fields)
    return Status(201, created)


@definitions.get("/{slug}", response=DefinitionPublic, summary="The latest version of a definition")
def get_definition(request: HttpRequest, slug: str) -> Any:
    return selectors.latest_definition(caller(request).provider, slug)


@definitions.patch(
    "/{slug}", response=DefinitionPublic, summary="Edit (a new version once issued from)"
)
def update_definition(request: HttpRequest, slug: str, payload: DefinitionUpdate) -> Any:
    who = caller(request)
    who.require_write()
    latest = selectors.latest_definition(who.provider, slug)
    changes = payload.model_dump(exclude_unset=True)
    return services.update_definition(actor=who.user, definition=latest, **changes)


@definitions.post("/{slug}/publish", response=DefinitionPublic, summary="Publish the draft")
def publish_definition(request: HttpRequest, slug: str) -> Any:
    who = caller(request)
    who.require_write()
    latest = selectors.latest_definition(who.provider, slug)
    return services.publish(actor=who.user, definition=latest)


@credentials.post(
    "",
    response={200: CredentialPublic, 201: CredentialPublic},
    summary="Issue one credential (201; 200 when the idempotency key was seen before)",
)
def issue_credential(request: HttpRequest, payload: CredentialIssue) -> Any:
    who = caller(request)
    who.require_write()
    definition = selectors.latest_definition(who.provider, payload.definition)
    key = (payload.idempotency_key or "").strip()
    seen = bool(key) and selectors.credentials_of(who.provider).filter(idempotency_key=key).exists()
    fields = payload.model_dump(exclude={"definition"})
    issued = services.issue_credential(actor=who.user, definition=definition, **fields)
    return Status(200 if seen else 201, issued)


@credentials.get("", response=CredentialPage, summary="Issued credentials, newest first")
def list_credentials(request: HttpRequest, filters: Query[CredentialFilter]) -> Any:
    rows = selectors.credentials_of(caller(request).provider)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.definition:
        rows = rows.filter(definition__slug=filters.definition)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"count": rows.count(), "limit": filters.limit, "offset": filters.offset, "items": page}


@credentials.get("/{credential_uuid}", response=CredentialPublic, summary="One credential")
def get_credential(request: HttpRequest, credential_uuid: UUID) -> Any:
    return _credential(caller(request), credential_uuid)


@credentials.post("/{credential_uuid}/revoke", response=CredentialPublic, summary="Revoke (final)")
def revoke_credential(request: HttpRequest, credential_uuid: UUID, payload: StateChange) -> Any:
    who = caller(request)
    who.require_write()
    row = _credential(who, credential_uuid)
    return services.revoke(actor=who.user, credential=row, reason=payload.reason)


@credentials.post("/{credential_uuid}/suspend", response=CredentialPublic, summary="Suspend")
def suspend_credential(request: HttpRequest, credential_uuid: UUID, payload: StateChange) -> Any:
    who = caller(request)
    who.require_write()
    row = _credential(who, credential_uuid)
    return services.suspend(actor=who.user, credential=row, reason=payload.reason)


@credentials.post(
    "/{credential_uuid}/unsuspend", response=CredentialPublic, summary="Lift a suspension"
)
def unsuspend_credential(request: HttpRequest, credential_uuid: UUID, payload: StateChange) -> Any:
    who = caller(request)
    who.require_write()
    row = _credential(who, credential_uuid)
    return services.unsuspend(actor=who.user, credential=row, reason=payload.reason)
