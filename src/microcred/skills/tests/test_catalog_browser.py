"""The catalog in a real browser (Debian chromium via Playwright) on the demo data: a visitor
searches, filters by skill and price, sorts, opens an offering; a provider adds one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.platform.seed import seed
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.skills.models import Offering

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def _titles(browser_page: Any) -> list[str]:
    return [t.strip() for t in browser_page.locator(".offering h3").all_inner_texts()]


def test_a_visitor_filters_the_catalog_and_opens_an_offering(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Catalog", exact=True).click()
    assert page.get_by_role("heading", name="16 offerings").is_visible()
    screenshot(page, "catalog")
    page.get_by_label("Teaches the skill").select_option(label="spreadsheet modelling")
    page.get_by_label("Sort by").select_option("price")
    page.get_by_role("button", name="Search").click()
    assert _titles(page) == ["Data Wrangling with Spreadsheets", "Spreadsheet Modelling"]
    page.get_by_label("Price at most").fill("130")
    page.get_by_role("button", name="Search").click()
    assert _titles(page) == ["Data Wrangling with Spreadsheets"]
    assert (
        page.get_by_label("Teaches the skill").input_value()
        == "urn:microcred:demo:skill:spreadsheets"
    )
    screenshot(page, "catalog-filtered")
    page.get_by_label("Price at most").fill("")
    page.get_by_label("Teaches the skill").select_option("")
    page.locator("#id_q").fill("pipelines")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Reliable Data Pipelines").click()
    facts = page.locator(".offering-facts").inner_text()
    assert "Python for Analysts" in facts and "data pipelines" in facts  # prerequisite, skill
    assert "Nordic Data Academy" in facts
    screenshot(page, "catalog-offering")


def test_a_provider_adds_an_offering_and_sees_the_error_first(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    client = Client()
    client.force_login(get_user_model().objects.get(email="owner@utrecht-uas.demo.microcred.test"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/providers/utrecht-uas/")
    page.get_by_role("link", name="Catalog offerings").click()
    page.get_by_label("Slug").fill("sql-evening")
    page.get_by_label("Title").fill("SQL Basics (evening class)")
    page.get_by_label("Micro-credential earned").select_option(label="SQL Basics")
    page.get_by_label("Hours").fill("75")
    page.get_by_label("Currency").fill("EU")
    page.get_by_role("button", name="Save and publish").click()
    assert "ISO 4217" in page.locator(".offering-form").inner_text()
    screenshot(page, "catalog-provider-form-error")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Save and publish").click()
    assert page.get_by_text("is in the public catalog").is_visible()
    row = Offering.objects.get(slug="sql-evening")
    assert row.is_published and row.skills.get().skill.label == "SQL querying"
