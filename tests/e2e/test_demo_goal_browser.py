"""Issue 6's "done when", the learner's half: in the demo data, ana.andromeda picks "data
analyst" on her goal page and sees the skills she lacks and a costed plan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.platform.seed import seed
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
ANA = "ana.andromeda@example.com"


def test_the_demo_learner_picks_data_analyst_and_gets_a_gap_and_a_costed_plan(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    client = Client()
    client.force_login(get_user_model().objects.get(email=ANA))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/me/goal")
    page.get_by_label("Search occupations").fill("data analyst")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Choose data analyst", exact=True).click()
    assert page.locator(".goal-name").inner_text() == "data analyst"
    assert page.locator("table.gap-lack tr.essential").count() >= 1
    assert page.locator(".plan-step").count() >= 1
    hours = page.locator("[data-total=hours]").inner_text()
    price = page.locator("[data-total=price]").inner_text()
    assert re.fullmatch(r"[\d.]+ hours", hours) and float(hours.split()[0]) > 0
    assert re.fullmatch(r"EUR [\d.]+", price)
    screenshot(page, "demo-goal-data-analyst")
