"""The published catalog: search, filters, sort, pages; the API (public reads, provider
writes, problem+json) and the pages (list, detail, provider form, CTDL)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from microcred.platform.api import PROBLEM
from microcred.providers import services as provider_services
from microcred.skills import catalog, selectors
from microcred.skills.models import Offering
from microcred.skills.selectors import CatalogQuery
from microcred.skills.tests.catalog_world import SKILL, World, catalog_world  # noqa: F401

pytestmark = pytest.mark.storage


@pytest.fixture
def shelf(world: World) -> World:
    """Four published offerings of two providers and one draft."""
    world.offer("sql-intro", definition="sql-course", hours=20, price=300, mode="online",
                language="en", level=4, start_date=date(2027, 1, 4),
                description="Queries for beginners")  # fmt: skip
    world.offer("stats", definition="stats-course", hours=40, price=90, mode="blended",
                language="nl", level=5, start_date=date(2027, 3, 1), prerequisites=["sql-intro"])  # fmt: skip
    world.offer("python", hours=60, price=0, mode="onsite", language="pt-BR", level=5,
                skills=[SKILL + "python"])  # fmt: skip
    world.offer("hidden", hours=1, skills=[SKILL + "sql"], publish=False)
    made = catalog.create_offering(actor=world.users["outsider"], provider=world.acme,
                                   slug="db", title="Databases", hours=30, price=120,
                                   skills=["http://data.europa.eu/esco/skill/e1"])  # fmt: skip
    catalog.publish_offering(actor=world.users["outsider"], offering=made)
    return world


def _slugs(**query: Any) -> list[str]:
    return [o.slug for o in selectors.search(CatalogQuery(**query)).items]


def test_filters_sort_and_pages(shelf: World) -> None:
    assert _slugs() == ["db", "python", "sql-intro", "stats"]  # by title; no draft
    assert _slugs(q="beginners") == ["sql-intro"]
    assert _slugs(q="statistics") == ["stats"]  # a taught skill's label
    assert _slugs(q="acme") == ["db"]  # the provider's name
    assert _slugs(q="sql querying") == ["sql-intro"]  # every word must match
    assert _slugs(provider="acme") == ["db"]
    assert _slugs(mode="blended") == ["stats"]
    assert _slugs(language="pt") == ["python"]
    assert _slugs(level=5, sort="hours") == ["stats", "python"]
    assert _slugs(max_price=Decimal(100), sort="price") == ["python", "stats"]
    assert _slugs(max_hours=Decimal(30), sort="hours") == ["sql-intro", "db"]
    assert _slugs(skill=SKILL + "sql") == ["sql-intro"]
    assert _slugs(starts_after=date(2027, 2, 1)) == ["stats"]
    assert _slugs(sort="start")[:2] == ["sql-intro", "stats"]
    page = selectors.search(CatalogQuery(sort="price", limit=2, offset=2))
    assert (page.count, [o.slug for o in page.items], page.has_next) == (
        4,
        ["db", "sql-intro"],
        False,
    )


def test_the_public_api_searches_and_shows(shelf: World) -> None:
    client = Client()
    body = client.get("/api/v1/catalog", {"max_price": "100", "sort": "price"}).json()
    assert [i["slug"] for i in body["items"]] == ["python", "stats"] and body["count"] == 2
    stats = client.get("/api/v1/catalog/uni/stats").json()
    assert stats["prerequisites"] == ["uni/sql-intro"]
    assert stats["credential"].endswith("/achievements/uni/stats-course/v1")
    assert [s["uri"] for s in stats["skills"]] == [SKILL + "stats"]
    assert client.get("/api/v1/catalog/uni/hidden").status_code == 404
    bad = client.get("/api/v1/catalog", {"level": "9", "mode": "tv"})
    assert bad.status_code == 422 and bad["Content-Type"] == PROBLEM
    assert set(bad.json()["errors"]) == {"level", "mode"}


def _token(world: World, role: str = "issuer") -> Client:
    _, secret = provider_services.create_api_token(
        actor=world.users["owner"], provider=world.uni, name=role, role=role
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_the_provider_api_writes_with_field_named_problems(shelf: World) -> None:
    client = _token(shelf)
    made = client.post("/api/v1/catalog/uni", {"slug": "new", "title": "New", "hours": 5,
                       "definition": "sql-course", "prerequisites": ["stats"]},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["skills"][0]["uri"] == SKILL + "sql" and not made.json()["published"]
    bad = client.put("/api/v1/catalog/uni/new", {"currency": "euro", "hours": -1},
                     content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    assert set(bad.json()["errors"]) == {"currency", "hours"}
    assert client.post("/api/v1/catalog/uni/new/publish").json()["published"] is True
    assert client.get("/api/v1/catalog/uni/new").status_code == 200
    assert len(client.get("/api/v1/catalog/uni").json()) == 5  # drafts included
    # Another provider's path, no token, a viewer's token: refused, nothing changed.
    assert client.post("/api/v1/catalog/acme/db/unpublish").status_code == 403
    assert (
        Client().put("/api/v1/catalog/uni/new", {}, content_type="application/json").status_code
        == 401
    )
    viewer = _token(shelf, "viewer").post("/api/v1/catalog/uni/new/unpublish")
    assert viewer.status_code == 403 and Offering.objects.get(slug="new").is_published


def test_the_catalog_page_lists_filters_and_shows_errors(shelf: World) -> None:
    client = Client()
    page = client.get("/catalog/")
    text = page.content.decode()
    for seen in ("Databases", "Stats", "Python", "Uni of Data", "EQF 5", "Free", "Blended"):
        assert seen in text, seen
    assert "Hidden" not in text
    # ESCO's skill is shown, so ESCO's attribution is there.
    assert "ESCO classification of the European Commission" in text
    filtered = client.get("/catalog/", {"mode": "blended"}).content.decode()
    assert "Stats" in filtered and "Databases" not in filtered
    bad = client.get("/catalog/", {"max_price": "cheap"})
    assert bad.status_code == 400 and "Enter a number" in bad.content.decode()
    detail = client.get("/catalog/uni/stats/").content.decode()
    assert "Sql Intro" in detail and "Stats-Course" in detail  # prerequisite and credential
    assert "ESCO classification" not in detail
    assert client.get("/catalog/uni/hidden/").status_code == 404


def test_the_provider_form_creates_and_names_bad_fields(shelf: World) -> None:
    client = Client()
    client.force_login(shelf.users["issuer"])
    url = "/providers/uni/offerings/"
    data = {"slug": "evening-sql", "title": "Evening SQL", "hours": "8", "price": "20",
            "currency": "EUR", "mode": "online", "language": "en", "definition": "sql-course",
            "prerequisites": ["uni/stats"], "action": "publish"}  # fmt: skip
    bad = client.post(url, {**data, "currency": "EU", "hours": "0"})
    assert bad.status_code == 400
    assert "ISO 4217" in bad.content.decode() and "must be more than 0" in bad.content.decode()
    assert not Offering.objects.filter(slug="evening-sql").exists()
    done = client.post(url, data)
    assert done.status_code == 302 and done["Location"] == "/providers/uni/offerings/evening-sql/"
    row = Offering.objects.get(slug="evening-sql")
    assert row.is_published and [p.slug for p in row.prerequisites.all()] == ["stats"]
    viewer = Client()
    viewer.force_login(shelf.users["viewer"])
    assert viewer.post(url, {**data, "slug": "v"}).status_code == 403


def test_ctdl_of_the_catalog_and_of_one_offering(shelf: World) -> None:
    client = Client()
    whole = client.get("/catalog/ctdl.json")
    assert whole["Content-Type"] == "application/ld+json"
    graph = json.loads(whole.content)["@graph"]
    assert len(graph) == 4
    one = client.get("/catalog/uni/stats/ctdl.json").json()
    assert one["@type"] == "ceterms:LearningOpportunityProfile"
    assert one["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "PT40H"
    assert one["ceterms:estimatedCost"][0]["ceterms:price"] == 90.0
    [requires] = one["ceterms:requires"]
    assert requires["ceterms:targetLearningOpportunity"][0]["@id"].endswith(
        "/catalog/uni/sql-intro/"
    )
    assert client.get("/catalog/uni/hidden/ctdl.json").status_code == 404
