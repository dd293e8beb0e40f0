"""Crashes the API fuzzers found, replayed through Django's test client (fast, no live
server): each was a 500 and is now a clear answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.platform.tests.conftest import world

__all__ = ["world"]
HUGE = "8317610861015133823778684928"  # the offset schemathesis sent (past 64-bit integers)


@pytest.mark.django_db
def test_a_huge_credentials_offset_is_a_422_naming_it(world: Any) -> None:
    response = Client().get(
        f"/api/v1/credentials?offset={HUGE}",
        headers={"authorization": f"Bearer {world.tokens['a_issuer']}"},
    )
    assert response.status_code == 422
    assert response["content-type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["offset"]


@pytest.mark.django_db
def test_a_huge_catalog_offset_is_a_422_in_the_api_and_an_empty_page_on_the_site(
    world: Any,
) -> None:
    api = Client().get(f"/api/v1/catalog?offset={HUGE}")
    assert api.status_code == 422 and list(api.json()["errors"]) == ["offset"]
    assert Client().get("/api/v1/catalog?offset=1000000000").json()["items"] == []
    page = Client().get(f"/catalog/?q=alpha&offset={HUGE}")
    assert page.status_code == 200
    assert "Alpha course" not in page.content.decode()
