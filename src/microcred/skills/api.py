"""Catalog API under ``/api/v1/catalog`` (thin: parse, one service or selector, render).

Reading the published catalog is public (no token): ``GET /catalog`` (search, filters, sort,
pages) and ``GET /catalog/{provider}/{slug}``. Writing is the provider API's: a token or a
signed-in staff member of ``{provider}`` (another provider's name in the path is a 403).
``GET /catalog/{provider}`` lists the caller's own offerings, drafts included.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from microcred.credentials import achievements
from microcred.providers.api import AUTH, Caller, caller
from microcred.skills import catalog, exports, selectors
from microcred.skills.models import Offering

router = Router(tags=["catalog"])
Mode = Literal["online", "blended", "onsite"]


class SkillTaught(Schema):
    uri: str
    label: str
    framework: str
    level: int | None


class OfferingPublic(Schema):
    provider: str
    provider_name: str
    slug: str
    title: str
    description: str
    url: str = Field(..., description="the offering's page in this catalog")
    course_url: str
    hours: Decimal
    ects: Decimal | None
    price: Decimal
    currency: str
    mode: str
    language: str
    start_date: date | None
    end_date: date | None
    level: int | None
    published: bool
    credential: str | None = Field(..., description="achievement id of the credential earned")
    credential_name: str | None
    skills: list[SkillTaught]
    prerequisites: list[str] = Field(..., description="provider/slug of each")

    @staticmethod
    def resolve_provider(row: Offering) -> str:
        return row.provider.slug

    @staticmethod
    def resolve_provider_name(row: Offering) -> str:
        return row.provider.name

    @staticmethod
    def resolve_url(row: Offering) -> str:
        return exports.page_url(row)

    @staticmethod
    def resolve_course_url(row: Offering) -> str:
        return row.url

    @staticmethod
    def resolve_published(row: Offering) -> bool:
        return row.is_published

    @staticmethod
    def resolve_credential(row: Offering) -> str | None:
        return achievements.achievement_id(row.definition) if row.definition else None

    @staticmethod
    def resolve_credential_name(row: Offering) -> str | None:
        return row.definition.name if row.definition else None

    @staticmethod
    def resolve_skills(row: Offering) -> list[dict[str, Any]]:
        return [
            {
                "uri": s.skill.uri,
                "label": s.skill.label,
                "framework": exports.framework_name(s.skill),
                "level": s.level,
            }
            for s in row.skills.all()
        ]

    @staticmethod
    def resolve_prerequisites(row: Offering) -> list[str]:
        return [f"{p.provider.slug}/{p.slug}" for p in row.prerequisites.all()]


class CatalogPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[OfferingPublic]


class CatalogFilter(Schema):
    q: str = Field("", max_length=200, description="words in title, description, provider, skills")
    provider: str = ""
    mode: Mode | None = None
    language: str = ""
    level: int | None = Field(None, ge=1, le=8)
    max_price: Decimal | None = Field(None, ge=0)
    max_hours: Decimal | None = Field(None, ge=0)
    skill: str = Field("", description="a skill URI")
    starts_after: date | None = None
    sort: Literal["title", "price", "hours", "start"] = "title"
    limit: int = Field(20, ge=1, le=selectors.MAX_LIMIT)
    offset: int = Field(0, ge=0, le=selectors.MAX_OFFSET)


class SkillIn(Schema):
    uri: str
    level: int | None = None


class OfferingUpdate(Schema):
    title: str | None = None
    description: str | None = None
    definition: str | None = Field(None, description="slug of one of your published definitions")
    hours: Decimal | None = None
    ects: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None
    mode: Mode | None = None
    language: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    level: int | None = None
    url: str | None = None
    prerequisites: list[str] | None = Field(None, description="slug or provider/slug of each")
    skills: list[SkillIn] | None = Field(None, description="default: the credential's skills")


class OfferingCreate(OfferingUpdate):
    slug: str
    title: str
    hours: Decimal


def _writer(request: HttpRequest, provider: str) -> Caller:
    who = caller(request)
    if who.provider.slug != provider:
        raise PermissionDenied("you may only change your own provider's offerings")
    who.require_write()
    return who


@router.get("", response=CatalogPageOut, summary="Search the published catalog (public)")
def search(request: HttpRequest, filters: Query[CatalogFilter]) -> Any:
    values = filters.model_dump()
    values["mode"] = values["mode"] or ""
    return selectors.search(selectors.CatalogQuery(**values))


@router.get("/{provider}", response=list[OfferingPublic], auth=AUTH,
            summary="Your provider's offerings, drafts included")  # fmt: skip
def own_offerings(request: HttpRequest, provider: str) -> Any:
    who = caller(request)
    if who.provider.slug != provider:
        raise PermissionDenied("you may only list your own provider's offerings")
    return selectors.offerings_of(who.provider)


@router.get("/{provider}/{slug}", response=OfferingPublic, summary="One published offering")
def detail(request: HttpRequest, provider: str, slug: str) -> Any:
    return selectors.published_offering(provider, slug)


@router.post("/{provider}", response={201: OfferingPublic}, auth=AUTH,
             summary="Create an offering (unpublished)")  # fmt: skip
def create(request: HttpRequest, provider: str, payload: OfferingCreate) -> Any:
    who = _writer(request, provider)
    fields = payload.model_dump(exclude_unset=True)
    made = catalog.create_offering(actor=who.user, provider=who.provider, **fields)
    return Status(201, selectors.offering_of(who.provider, made.slug))


@router.put("/{provider}/{slug}", response=OfferingPublic, auth=AUTH,
            summary="Change an offering (fields sent are changed)")  # fmt: skip
def update(request: HttpRequest, provider: str, slug: str, payload: OfferingUpdate) -> Any:
    who = _writer(request, provider)
    row = selectors.offering_of(who.provider, slug)
    catalog.update_offering(actor=who.user, offering=row, **payload.model_dump(exclude_unset=True))
    return selectors.offering_of(who.provider, slug)


@router.post("/{provider}/{slug}/publish", response=OfferingPublic, auth=AUTH,
             summary="Show it in the public catalog")  # fmt: skip
def publish(request: HttpRequest, provider: str, slug: str) -> Any:
    who = _writer(request, provider)
    catalog.publish_offering(actor=who.user, offering=selectors.offering_of(who.provider, slug))
    return selectors.offering_of(who.provider, slug)


@router.post("/{provider}/{slug}/unpublish", response=OfferingPublic, auth=AUTH,
             summary="Take it out of the public catalog")  # fmt: skip
def unpublish(request: HttpRequest, provider: str, slug: str) -> Any:
    who = _writer(request, provider)
    catalog.unpublish_offering(actor=who.user, offering=selectors.offering_of(who.provider, slug))
    return selectors.offering_of(who.provider, slug)
