"""Reads of the catalog: the published catalog's search, filters, sort and pages; one
offering; a provider's own offerings (drafts included).

Search decision: ``q`` is split into words and every word must appear (case-insensitive)
in the title, description, provider name or a taught skill's label, so "sql python" finds
offerings that mention both. Filters combine with AND. Prices compare as numbers whatever
the currency (the demo and most catalogs use one); the currency is shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from microcred.providers.models import Provider
from microcred.skills.models import Offering, OfferingSkill, Skill

Sort = Literal["title", "price", "hours", "start"]
SORTS: dict[str, tuple[Any, ...]] = {
    "title": ("title", "id"),
    "price": ("price", "title", "id"),
    "hours": ("hours", "title", "id"),
    # Dated offerings first (soonest first), then those that start any time.
    "start": (F("start_date").asc(nulls_last=True), "title", "id"),
}
MAX_LIMIT = 100
#: past any real catalog; keeps OFFSET within the database's 64-bit integers (a huge
#: ?offset= was a 500 on SQLite, found by fuzzing the API)
MAX_OFFSET = 10**9


@dataclass(frozen=True)
class CatalogQuery:
    """What a catalog visitor asked for; every field is optional."""

    q: str = ""
    provider: str = ""
    mode: str = ""
    language: str = ""
    level: int | None = None
    max_price: Decimal | None = None
    max_hours: Decimal | None = None
    skill: str = ""
    starts_after: date | None = None
    sort: Sort = "title"
    limit: int = 20
    offset: int = 0


@dataclass
class CatalogPage:
    count: int
    limit: int
    offset: int
    items: list[Offering] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.count

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset else None


def _with_details(rows: QuerySet[Offering]) -> QuerySet[Offering]:
    """Everything a catalog entry shows, in a fixed number of queries."""
    skills = OfferingSkill.objects.select_related("skill").order_by("skill__label")
    prereqs = Offering.objects.filter(is_published=True).select_related("provider")
    return rows.select_related("provider", "definition", "definition__provider").prefetch_related(
        Prefetch("skills", queryset=skills),
        Prefetch("prerequisites", queryset=prereqs),
    )


def published() -> QuerySet[Offering]:
    return Offering.objects.filter(is_published=True)


def _text(rows: QuerySet[Offering], text: str) -> QuerySet[Offering]:
    for word in text.split()[:10]:  # more words only narrow it, and cost a join each
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__name__icontains=word)
            | Q(skills__skill__label__icontains=word)
        )
    return rows


def search(query: CatalogQuery) -> CatalogPage:
    """One page of the published catalog that matches ``query``."""
    rows = _text(published(), query.q.strip())
    if query.provider:
        rows = rows.filter(provider__slug=query.provider)
    if query.mode:
        rows = rows.filter(mode=query.mode)
    if query.language:
        rows = rows.filter(
            Q(language=query.language) | Q(language__startswith=f"{query.language}-")
        )
    if query.level is not None:
        rows = rows.filter(level=query.level)
    if query.max_price is not None:
        rows = rows.filter(price__lte=query.max_price)
    if query.max_hours is not None:
        rows = rows.filter(hours__lte=query.max_hours)
    if query.skill:
        rows = rows.filter(skills__skill__uri=query.skill)
    if query.starts_after is not None:
        rows = rows.filter(start_date__gte=query.starts_after)
    ids = rows.values("id").distinct()  # the joins above may repeat an offering
    ordered = Offering.objects.filter(id__in=ids).order_by(*SORTS[query.sort])
    limit = max(1, min(query.limit, MAX_LIMIT))
    offset = min(max(0, query.offset), MAX_OFFSET)
    page = list(_with_details(ordered)[offset : offset + limit])
    return CatalogPage(count=ordered.count(), limit=limit, offset=offset, items=page)


def published_offering(provider: str, slug: str) -> Offering:
    """One published offering; 404 for a draft, like one that does not exist."""
    found = _with_details(published().filter(provider__slug=provider, slug=slug)).first()
    if found is None:
        raise Http404("no such offering in the catalog")
    return found


def all_published() -> list[Offering]:
    """The whole published catalog (the CTDL export and the path planner read it)."""
    return list(_with_details(published().order_by("provider__slug", "slug")))


def offerings_of(provider: Provider) -> QuerySet[Offering]:
    """A provider's offerings, drafts included, by title."""
    return _with_details(Offering.objects.filter(provider=provider).order_by("title", "id"))


def offering_of(provider: Provider, slug: str) -> Offering:
    found = offerings_of(provider).filter(slug=slug).first()
    if found is None:
        raise Http404("no such offering")
    return found


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """What the filter form offers: the providers, languages and skills of published offerings."""
    rows = published()
    providers = (
        Provider.objects.filter(offerings__in=rows)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    languages = rows.order_by("language").values_list("language", flat=True).distinct()
    skills = (
        Skill.objects.filter(offerings__offering__in=rows)
        .distinct()
        .order_by("label")
        .values_list("uri", "label")
    )
    return {
        "skills": list(skills),
        "providers": list(providers),
        "languages": [(code, code) for code in languages],
        "modes": list(Offering.Mode.choices),
    }


def schemes_shown(offerings: list[Offering]) -> list[str]:
    """The taxonomies (``esco``, ``onet``, ``custom``) of the skills these offerings show:
    ESCO's and O*NET's licences require their attribution wherever their data is shown."""
    return sorted({row.skill.scheme for offering in offerings for row in offering.skills.all()})
