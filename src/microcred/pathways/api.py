"""Provider API for pathways (thin: parse, one service or selector, render), scoped to the
caller's provider like the rest of ``/api/v1``. A pathway is sent as its source text
(YAML or JSON) so that what the API stores is exactly what the file and the page store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from microcred.core.pathways import mentions
from microcred.credentials import achievements
from microcred.pathways import selectors, services
from microcred.pathways.models import PathwayDefinition
from microcred.providers.api import AUTH, caller

router = Router(tags=["pathways"], auth=AUTH)


class PathwaySource(Schema):
    source: str = Field(..., description="the pathway as YAML or JSON text")
    slug: str | None = Field(None, description="default: from the pathway's id")


class PathwayCheck(Schema):
    source: str


class PathwayValid(Schema):
    valid: bool
    id: str
    name: str
    mentions: list[str]


class PathwayPublic(Schema):
    slug: str
    version: int
    status: str
    name: str
    description: str
    source: str
    pathway: dict[str, Any]
    award_achievement_id: str | None
    mentions: list[str] = Field(..., description="achievement ids and skills it depends on")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_pathway(row: PathwayDefinition) -> dict[str, Any]:
        return dict(row.parsed)

    @staticmethod
    def resolve_mentions(row: PathwayDefinition) -> list[str]:
        return list(selectors.stored_mentions(row))

    @staticmethod
    def resolve_award_achievement_id(row: PathwayDefinition) -> str | None:
        found = row.award_definition
        return achievements.achievement_id(found) if found is not None else None


@router.get("", response=list[PathwayPublic], summary="Every version of every pathway")
def list_pathways(request: HttpRequest) -> Any:
    return selectors.pathways_of(caller(request).provider).select_related("award_definition")


@router.post("", response={201: PathwayPublic}, summary="Save a pathway as a draft")
def create_pathway(request: HttpRequest, payload: PathwaySource) -> Any:
    who = caller(request)
    who.require_write()
    row = services.save_pathway(
        actor=who.user, provider=who.provider, source=payload.source, slug=payload.slug
    )
    return Status(201, row)


@router.post("/validate", response=PathwayValid, summary="Check a pathway; stores nothing")
def validate_pathway(request: HttpRequest, payload: PathwayCheck) -> Any:
    caller(request).require_write()
    pathway = services.check_source(payload.source)
    return PathwayValid(
        valid=True, id=pathway.id, name=pathway.name, mentions=list(mentions(pathway))
    )


@router.post("/{slug}/publish", response=PathwayPublic, summary="Publish the latest draft")
def publish_pathway(request: HttpRequest, slug: str) -> Any:
    who = caller(request)
    who.require_write()
    latest = selectors.latest_pathway(who.provider, slug)
    return services.publish_pathway(actor=who.user, pathway=latest)
